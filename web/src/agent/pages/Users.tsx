/** Users: placeholder until its page is written. */
export default function Users() {
  return <div>Users</div>;
}
