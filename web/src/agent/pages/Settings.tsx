/** Settings: placeholder until its page is written. */
export default function Settings() {
  return <div>Settings</div>;
}
