// Runs the served /tracker.js in Node against a live gateway: the script plays the shop's backend too, minting shopper
// tokens with the server key (POST /v1/shopper-tokens) that the tracker asks for through its shopperToken function.
// A product view and an add-to-cart fire an offer for the token's shopper, the tracker reports "shown", and after the
// socket drops it reconnects (with a token again) and delivers the next batch; events carry no userId and the
// runtime's time zone in context.timeZone.
// Usage: node --experimental-websocket tracker-check.mjs http://127.0.0.1:5080 mm_pk_... mm_sk_...
const [base, key, serverKey] = process.argv.slice(2);
if (!base || !key || !serverKey) {
  console.error("usage: node --experimental-websocket tracker-check.mjs <gateway url> <publishable key> <server key>");
  process.exit(2);
}
if (typeof WebSocket !== "function") {
  console.error("This Node has no WebSocket; run it with --experimental-websocket (Node 20) or Node 22+.");
  process.exit(2);
}

function within(ms, what, promise) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms))]);
}

const script = await (await fetch(new URL("/tracker.js", base))).text();
globalThis.window = globalThis;
new Function(script)();

const shopper = "node-check-" + Math.random().toString(36).slice(2);
let minted = 0;
async function shopperToken() {
  const response = await fetch(new URL("/v1/shopper-tokens", base), {
    method: "POST",
    headers: { authorization: "Bearer " + serverKey, "content-type": "application/json" },
    body: JSON.stringify({ userId: shopper, lifetimeSeconds: 120 }),
  });
  if (!response.ok) throw new Error(`POST /v1/shopper-tokens answered ${response.status}: ${await response.text()}`);
  minted++;
  return (await response.json()).token;
}

let onOffer, onFeedback;
const acks = [];
const offer = new Promise((resolve) => (onOffer = resolve));
const feedback = new Promise((resolve) => (onFeedback = resolve));
const mm = globalThis.MicroMoment.init({
  key,
  endpoint: base,
  shopperToken,
  autoTrack: false,
  flushInterval: 50,
  onOffer: (o, tracker) => { tracker.feedback(o.id, "shown"); onOffer(o); },
  onFeedback: (f) => onFeedback(f),
  onAck: (ack, batch) => acks.push({ ack, batch }),
});

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (mm._context().timeZone !== zone) throw new Error(`events carry timeZone ${mm._context().timeZone}; expected the runtime's ${zone}`);
console.log(`events carry context.timeZone ${zone}`);

const product = { productId: 1003461, categoryId: "2053013555631882655", categoryCode: "electronics.smartphone", brand: "xiaomi", price: 489.07, page: "product" };
mm.productView(product);
mm.addToCart(product);
const o = await within(10000, "an offer", offer);
if (o.userId !== shopper || mm.userId !== shopper) throw new Error(`offer for ${o.userId}, tracker bound to ${mm.userId}; expected ${shopper}`);
console.log(`offer ${o.id} for ${o.userId}: ${o.type} "${o.payload.message}"`);
const f = await within(5000, "the feedback answer", feedback);
if (f.outcome !== "recorded") throw new Error(`feedback was ${f.outcome}`);
console.log(`feedback shown: ${f.outcome}`);

const before = acks.length;
mm.socket.close();
await new Promise((r) => setTimeout(r, 100));
mm.signal("scroll", 50);
await within(10000, "an ack after reconnecting", new Promise((resolve) => {
  const poll = setInterval(() => { if (acks.length > before) { clearInterval(poll); resolve(); } }, 20);
}));
const last = acks[acks.length - 1].ack.results[0];
if (last.status !== "accepted" || last.signal !== "scroll") throw new Error(`unexpected ack ${JSON.stringify(last)}`);
console.log(`reconnected; signal acked (${acks.length} acks in all; ${minted} token(s) minted)`);
mm.close();
console.log("tracker check OK");
process.exit(0);
