/*
 * MicroMoment browser tracker. No dependencies.
 *
 *   <script src="https://YOUR-GATEWAY/tracker.js"></script>
 *   <script>
 *     var mm = MicroMoment.init({
 *       key: "mm_pk_...",                                   // publishable key
 *       shopperToken: "<minted by your backend>"            // or a function returning one (or a Promise of one)
 *     });
 *     mm.productView({ productId: 1001, categoryId: "2053013555631882655", categoryCode: "electronics.audio", brand: "acme", price: 59.9 });
 *     mm.addToCart({ productId: 1001, price: 59.9 });
 *   </script>
 *
 * The page never names the shopper: the gateway binds the connection to the shopper of the token (signed by the shop's
 * backend with its server key), or, without a token, to an anonymous shopper of its own kept in an HttpOnly cookie.
 * Events therefore carry no userId. When shopperToken is a function it is called before each (re)connect whose token
 * is missing or within a minute of its expiry, so a long-open page keeps a fresh token.
 *
 * Records page and product views, add-to-cart, removals and purchases, plus dwell, hesitation and scroll signals;
 * gives every event an id; sends batches over one WebSocket (GET /v1/stream) with reconnect (exponential back-off)
 * and resends every batch the gateway has not acknowledged (event ids make resends safe); hands offers to
 * options.onOffer (default: a small popup that reports shown / clicked / dismissed feedback). Every event's context
 * carries the browser's IANA time zone (options.timeZone overrides it), so daily offer caps count the shopper's days.
 */
(function (global) {
  "use strict";

  var SCROLL_MARKS = [25, 50, 75, 100];

  function now() { return Date.now(); }

  function randomId() {
    if (global.crypto && typeof global.crypto.randomUUID === "function") return global.crypto.randomUUID();
    var s = "";
    for (var i = 0; i < 32; i++) s += Math.floor(Math.random() * 16).toString(16);
    return s;
  }

  function scriptBase() {
    var script = global.document && global.document.currentScript;
    if (script && script.src) return script.src.replace(/\/tracker\.js(\?.*)?$/, "");
    return global.location ? global.location.origin : "";
  }

  var BASE = scriptBase();

  function deviceClass() {
    var width = global.innerWidth || 1280;
    return width < 768 ? "mobile" : width < 1024 ? "tablet" : "desktop";
  }

  // Resolved once per tracker: the IANA id such as "Europe/Berlin", or null when the browser does not say.
  function browserTimeZone() {
    try {
      var zone = global.Intl && global.Intl.DateTimeFormat().resolvedOptions().timeZone;
      return typeof zone === "string" && zone.length > 0 && zone.length <= 64 ? zone : null;
    } catch (e) { return null; }
  }

  function referrerClass() {
    var ref = global.document ? global.document.referrer : "";
    if (!ref) return "direct";
    var host;
    try { host = new URL(ref).hostname; } catch (e) { return "referral"; }
    if (global.location && host === global.location.hostname) return "internal";
    if (/(^|\.)(google|bing|duckduckgo|yahoo|yandex|baidu|ecosia)\./.test(host)) return "search";
    if (/(^|\.)(facebook|instagram|t\.co|twitter|x\.com|pinterest|tiktok|reddit|linkedin)/.test(host)) return "social";
    return "referral";
  }

  function base64UrlText(part) {
    var base64 = part.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) base64 += "=";
    var binary = global.atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new global.TextDecoder().decode(bytes);
  }

  // A shopper token is "<kind>.<tenant>.<user id>.<expiry, Unix seconds>.<signature>" (base64url parts).
  function tokenParts(token) {
    var parts = typeof token === "string" ? token.split(".") : [];
    if (parts.length !== 5) return null;
    try { return { userId: base64UrlText(parts[2]), expiresAt: Number(parts[3]) * 1000 }; } catch (e) { return null; }
  }

  function warn(title, detail) { if (global.console) global.console.warn("MicroMoment:", title, detail || ""); }

  function Tracker(options) {
    if (!options || !options.key) throw new Error("MicroMoment.init needs { key: '<publishable key>' }");
    if (options.userId != null)
      throw new Error("MicroMoment.init no longer takes userId: a page cannot name its shopper. Have your backend mint a shopper token for the user (MicroMomentClient.CreateShopperToken or POST /v1/shopper-tokens) and pass { shopperToken }, or leave it out for an anonymous shopper.");
    this.options = options;
    this.key = options.key;
    this.endpoint = (options.endpoint || BASE).replace(/\/$/, "");
    this.token = null;
    this.userId = null;            // the token's shopper; null for the gateway's anonymous shopper (its id stays in an HttpOnly cookie)
    if (typeof options.shopperToken === "string") this._setToken(options.shopperToken);
    this.pageId = randomId().replace(/-/g, "").slice(0, 16);
    this.timeZone = options.timeZone || browserTimeZone();
    this.page = options.page || (global.document && global.document.body && global.document.body.getAttribute("data-mm-page")) || "other";
    this.batchSize = options.batchSize || 20;
    this.flushInterval = options.flushInterval || 250;
    this.ackTimeout = options.ackTimeout || 10000;
    this.maxQueue = options.maxQueue || 1000;
    this.onOffer = options.onOffer || defaultPopup;
    this.onAck = options.onAck || null;
    this.queue = [];               // events not yet in a batch
    this.inflight = {};            // batch id -> { events, sentAt }
    this.seenOffers = {};
    this.socket = null;
    this.attempt = 0;
    this.closed = false;
    this.sequence = 0;
    this.pageStart = now();
    this.visibleSince = now();
    this.visibleMs = 0;
    this.scrollMarks = {};
    this.timer = null;
    this._connect();
    if (options.autoTrack !== false) this._autoTrack();
  }

  Tracker.prototype._setToken = function (token) {
    var parts = tokenParts(token);
    if (!parts) { warn("Malformed shopper token", "expected the token your backend minted (five dot-separated parts); continuing without it."); return false; }
    this.token = token;
    this.userId = parts.userId;
    return true;
  };

  // Calls done(true) once a usable token is in hand (or none is needed), done(false) when getting one failed.
  Tracker.prototype._withToken = function (done) {
    var source = this.options.shopperToken;
    if (typeof source !== "function") { done(true); return; }
    var current = this.token && tokenParts(this.token);
    if (current && current.expiresAt - now() > 60000) { done(true); return; }
    var self = this;
    var result;
    try { result = source(); } catch (e) { warn("shopperToken failed", e && e.message); done(false); return; }
    Promise.resolve(result).then(function (token) {
      done(self._setToken(token));
    }, function (e) {
      warn("shopperToken failed", e && e.message);
      done(false);
    });
  };

  Tracker.prototype._context = function (page) {
    var context = { device: deviceClass(), platform: "web", referrer: referrerClass(), page: page || this.page };
    if (this.timeZone) context.timeZone = this.timeZone;
    return context;
  };

  Tracker.prototype._eventId = function () {
    this.sequence += 1;
    return this.pageId + "-" + this.pageStart.toString(36) + "-" + this.sequence.toString(36) + "-" + randomId().slice(0, 8);
  };

  /** Records one event; type is view, cart, remove_from_cart, purchase or signal. Returns its event id. */
  Tracker.prototype.track = function (type, fields) {
    if (this.closed) return null;
    // No userId: the gateway fills in the shopper this page is bound to.
    var e = { eventId: this._eventId(), type: type, timestamp: new Date().toISOString(), context: this._context(fields && fields.page) };
    if (fields) {
      if (fields.productId != null) e.productId = fields.productId;
      // Category ids such as REES46's need 64 bits: send them as strings (numbers beyond 2^53 lose digits in JavaScript).
      if (fields.categoryId != null) e.categoryId = typeof fields.categoryId === "number" ? fields.categoryId : String(fields.categoryId);
      if (fields.categoryCode != null) e.categoryCode = fields.categoryCode;
      if (fields.brand != null) e.brand = fields.brand;
      if (fields.price != null) e.price = fields.price;
      if (fields.signal != null) e.signal = fields.signal;
      if (fields.value != null) e.value = fields.value;
    }
    if (this.queue.length >= this.maxQueue) this.queue.shift();   // bounded: the oldest unsent event goes first
    this.queue.push(e);
    if (this.queue.length >= this.batchSize) this.flush();
    else this._schedule();
    return e.eventId;
  };

  Tracker.prototype.pageView = function (fields) { return this.track("view", fields || {}); };
  Tracker.prototype.productView = function (product) { return this.track("view", product); };
  Tracker.prototype.addToCart = function (product) { return this.track("cart", product); };
  Tracker.prototype.removeFromCart = function (product) { return this.track("remove_from_cart", product); };
  Tracker.prototype.purchase = function (products) {
    var list = Array.isArray(products) ? products : [products];
    var ids = [];
    for (var i = 0; i < list.length; i++) ids.push(this.track("purchase", list[i]));
    return ids;
  };
  /** A behaviour signal (dwell, hesitation, scroll, ...): recorded for the trigger policy, never scored by the model. */
  Tracker.prototype.signal = function (name, value, fields) {
    var f = fields || {};
    f.signal = name;
    f.value = value;
    return this.track("signal", f);
  };

  /** Reports what happened to an offer: shown, clicked, dismissed (or converted). */
  Tracker.prototype.feedback = function (offerId, feedback) {
    this._send({ type: "feedback", offerId: offerId, feedback: feedback });
  };

  Tracker.prototype._schedule = function () {
    var self = this;
    if (this.timer) return;
    this.timer = setTimeout(function () { self.timer = null; self.flush(); }, this.flushInterval);
  };

  /** Sends queued events now as one batch (kept until the gateway acknowledges it). */
  Tracker.prototype.flush = function () {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    if (this.queue.length === 0) return;
    var id = "b-" + randomId().slice(0, 12);
    var batch = { events: this.queue.splice(0, this.batchSize), sentAt: 0 };
    this.inflight[id] = batch;
    this._sendBatch(id, batch);
    if (this.queue.length > 0) this._schedule();
  };

  Tracker.prototype._sendBatch = function (id, batch) {
    if (this._send({ batch: id, events: batch.events })) batch.sentAt = now();
  };

  Tracker.prototype._send = function (message) {
    if (!this.socket || this.socket.readyState !== 1) return false;
    try { this.socket.send(JSON.stringify(message)); return true; } catch (e) { return false; }
  };

  Tracker.prototype._shopperQuery = function () {
    return this.token ? "&shopperToken=" + encodeURIComponent(this.token) : "";
  };

  Tracker.prototype._connect = function () {
    if (this.closed || typeof global.WebSocket !== "function") return;
    var self = this;
    this._withToken(function (ok) {
      if (self.closed) return;
      if (ok) self._open(); else self._reconnectLater();
    });
  };

  Tracker.prototype._open = function () {
    var self = this;
    var url = this.endpoint.replace(/^http/, "ws") + "/v1/stream?key=" + encodeURIComponent(this.key) + this._shopperQuery();
    var socket;
    try { socket = new global.WebSocket(url); } catch (e) { this._reconnectLater(); return; }
    this.socket = socket;
    socket.onopen = function () {
      self.attempt = 0;
      for (var id in self.inflight) if (Object.prototype.hasOwnProperty.call(self.inflight, id)) self._sendBatch(id, self.inflight[id]);
      self.flush();
      self._watchAcks();
    };
    socket.onmessage = function (msg) {
      var data;
      try { data = JSON.parse(msg.data); } catch (e) { return; }
      self._receive(data);
    };
    socket.onclose = function () {
      if (self.socket === socket) self.socket = null;
      self._reconnectLater();
    };
    socket.onerror = function () { /* onclose follows and reconnects */ };
  };

  Tracker.prototype._reconnectLater = function () {
    if (this.closed) return;
    var self = this;
    var delay = Math.min(30000, 500 * Math.pow(2, this.attempt)) * (0.5 + Math.random() / 2);
    this.attempt += 1;
    setTimeout(function () { self._connect(); }, delay);
  };

  Tracker.prototype._watchAcks = function () {
    var self = this;
    if (this.ackWatch) return;
    this.ackWatch = setInterval(function () {
      var t = now();
      for (var id in self.inflight) {
        if (!Object.prototype.hasOwnProperty.call(self.inflight, id)) continue;
        var b = self.inflight[id];
        if (!b.sentAt || t - b.sentAt > self.ackTimeout) self._sendBatch(id, b);
      }
    }, 1000);
  };

  Tracker.prototype._receive = function (data) {
    var self = this;
    if (data.type === "ack") {
      var batch = data.batch && this.inflight[data.batch];
      if (batch) {
        delete this.inflight[data.batch];
        var results = (data.ack && data.ack.results) || [];
        var retry = [];
        for (var i = 0; i < results.length; i++) if (results[i].status === "overloaded") retry.push(batch.events[results[i].index]);
        if (retry.length > 0) {
          setTimeout(function () { self.queue = retry.concat(self.queue); self.flush(); }, 1000 * (data.retryAfterSeconds || 1));
        }
      }
      if (this.onAck) this.onAck(data.ack, data.batch);
    } else if (data.type === "offer" && data.offer) {
      if (this.seenOffers[data.offer.id]) return;
      this.seenOffers[data.offer.id] = true;
      this.onOffer(data.offer, this);
    } else if (data.type === "feedback") {
      if (this.options.onFeedback) this.options.onFeedback(data.feedback);
    } else if (data.type === "error") {
      if (data.batch && this.inflight[data.batch] && data.status === 429) {
        var again = this.inflight[data.batch];
        setTimeout(function () { self._sendBatch(data.batch, again); }, 1000 * (data.retryAfterSeconds || 1));
      } else if (data.batch && this.inflight[data.batch]) {
        delete this.inflight[data.batch];   // refused for good (e.g. malformed): resending would not help
      }
      warn(data.title, data.detail);
    }
  };

  Tracker.prototype._beacon = function () {
    // The page is going away: hand everything not yet acknowledged to sendBeacon (ids make duplicates harmless).
    var events = this.queue.splice(0);
    for (var id in this.inflight) if (Object.prototype.hasOwnProperty.call(this.inflight, id)) events = events.concat(this.inflight[id].events);
    if (events.length === 0 || !global.navigator || typeof global.navigator.sendBeacon !== "function") return;
    var url = this.endpoint + "/v1/events?key=" + encodeURIComponent(this.key) + this._shopperQuery();
    global.navigator.sendBeacon(url, new Blob([JSON.stringify(events)], { type: "text/plain" }));
  };

  Tracker.prototype._autoTrack = function () {
    var self = this;
    var doc = global.document;
    if (!doc) return;
    if (this.options.pageView !== false) this.pageView();

    var onScroll = function () {
      var height = Math.max(doc.documentElement.scrollHeight - global.innerHeight, 1);
      var percent = Math.min(100, Math.round(100 * (global.scrollY || doc.documentElement.scrollTop) / height));
      for (var i = 0; i < SCROLL_MARKS.length; i++) {
        var mark = SCROLL_MARKS[i];
        if (percent >= mark && !self.scrollMarks[mark]) { self.scrollMarks[mark] = true; self.signal("scroll", mark); }
      }
    };
    global.addEventListener("scroll", onScroll, { passive: true });

    // Hesitation: the pointer rests on an add-to-cart or checkout control for a while without clicking it.
    var hoverStart = 0;
    doc.addEventListener("mouseover", function (ev) {
      var target = ev.target && ev.target.closest && ev.target.closest("[data-mm-hesitation]");
      if (target && !target.contains(ev.relatedTarget)) hoverStart = now();
    });
    doc.addEventListener("mouseout", function (ev) {
      var target = ev.target && ev.target.closest && ev.target.closest("[data-mm-hesitation]");
      if (target && target.contains(ev.relatedTarget)) return;
      if (target && hoverStart) {
        var ms = now() - hoverStart;
        hoverStart = 0;
        if (ms >= 1500) self.signal("hesitation", ms, { productId: Number(target.getAttribute("data-mm-product")) || undefined });
      }
    });
    doc.addEventListener("click", function () { hoverStart = 0; }, true);

    // Dwell: visible time on the page, reported when the page is hidden.
    doc.addEventListener("visibilitychange", function () {
      if (doc.visibilityState === "hidden") {
        self.visibleMs += now() - self.visibleSince;
        self.signal("dwell", self.visibleMs);
        self.flush();
        self._beacon();
      } else {
        self.visibleSince = now();
      }
    });
    global.addEventListener("pagehide", function () { self._beacon(); });
  };

  /** Stops tracking and closes the connection (unsent events are handed to sendBeacon). */
  Tracker.prototype.close = function () {
    this.flush();
    this._beacon();
    this.closed = true;
    if (this.ackWatch) clearInterval(this.ackWatch);
    if (this.socket) this.socket.close(1000, "closed by page");
  };

  function defaultPopup(offer, tracker) {
    var doc = global.document;
    if (!doc || !doc.body) return;
    var box = doc.createElement("div");
    box.setAttribute("role", "dialog");
    box.setAttribute("data-mm-offer", offer.id);
    box.style.cssText = "position:fixed;right:16px;bottom:16px;max-width:320px;z-index:2147483647;background:#fff;color:#222;" +
      "border-radius:10px;box-shadow:0 6px 24px rgba(0,0,0,.25);padding:16px 40px 16px 16px;font:14px/1.4 system-ui,sans-serif";
    var text = doc.createElement("div");
    text.textContent = (offer.payload && offer.payload.message) || "We have something for you.";
    var action = doc.createElement("button");
    action.textContent = offer.type === "discount" ? "Get the discount" : "Show me";
    action.style.cssText = "margin-top:10px;padding:6px 12px;border:0;border-radius:6px;background:#0a7;color:#fff;cursor:pointer";
    var close = doc.createElement("button");
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", "Dismiss");
    close.style.cssText = "position:absolute;top:6px;right:8px;border:0;background:none;font-size:20px;cursor:pointer;color:#666";
    box.appendChild(text);
    box.appendChild(action);
    box.appendChild(close);
    doc.body.appendChild(box);
    tracker.feedback(offer.id, "shown");
    action.onclick = function () { tracker.feedback(offer.id, "clicked"); box.remove(); if (tracker.options.onOfferClick) tracker.options.onOfferClick(offer); };
    close.onclick = function () { tracker.feedback(offer.id, "dismissed"); box.remove(); };
  }

  global.MicroMoment = {
    /** Starts tracking; see the options at the top of this file. */
    init: function (options) { return new Tracker(options); },
    Tracker: Tracker,
    defaultPopup: defaultPopup,
  };
})(typeof window !== "undefined" ? window : this);
