/** Audit: placeholder until its page is written. */
export default function Audit() {
  return <div>Audit</div>;
}
