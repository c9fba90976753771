/** Queue: placeholder until its page is written. */
export default function Queue() {
  return <div>Queue</div>;
}
