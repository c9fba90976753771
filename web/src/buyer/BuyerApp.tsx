/** BuyerApp: placeholder until the portal is written. */
export function BuyerApp() {
  return <div>buyer</div>;
}
