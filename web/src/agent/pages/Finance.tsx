/** Finance: placeholder until its page is written. */
export default function Finance() {
  return <div>Finance</div>;
}
