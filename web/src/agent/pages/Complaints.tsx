/** Complaints: placeholder until its page is written. */
export default function Complaints() {
  return <div>Complaints</div>;
}
