/** Stats: placeholder until its page is written. */
export default function Stats() {
  return <div>Stats</div>;
}
