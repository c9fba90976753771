/** RefundDetail: placeholder until its page is written. */
export default function RefundDetail() {
  return <div>RefundDetail</div>;
}
