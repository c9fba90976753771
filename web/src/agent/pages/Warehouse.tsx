/** Warehouse: placeholder until its page is written. */
export default function Warehouse() {
  return <div>Warehouse</div>;
}
