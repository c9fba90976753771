/** RuleSet: placeholder until its page is written. */
export default function RuleSet() {
  return <div>RuleSet</div>;
}
