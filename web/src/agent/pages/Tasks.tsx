/** Tasks: placeholder until its page is written. */
export default function Tasks() {
  return <div>Tasks</div>;
}
