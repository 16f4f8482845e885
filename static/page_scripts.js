// The page's hidden scripts (ui/scripts.py). Every official's browser fetches this file: the reasons are in the
// Python modules named below, not here.

// ui/a11y.py
export function a11y({ data }) {
  window.__a11yData = data;
  window.__a11yWords = window.__a11yWords || {};
  if (data.toolbar) window.__a11yWords[data.lang] = data.toolbar;
  const apply = () => {
    const { lang } = window.__a11yData;
    if (document.documentElement.lang !== lang) document.documentElement.lang = lang;
    document.querySelectorAll('[data-testid="stIconMaterial"]:not([aria-hidden])')
      .forEach((icon) => icon.setAttribute("aria-hidden", "true"));
    const words = window.__a11yWords[lang] || {};
    document.querySelectorAll('[class*="st-key-alt_"]').forEach((box) => {
      // the plot's SVG, not its container: the toolbar's buttons must stay reachable
      const layers = box.querySelectorAll(".js-plotly-plot .svg-container > svg.main-svg");
      const caption = box.querySelector('[data-testid="stCaptionContainer"]');
      if (!layers.length || !caption) return;
      const label = caption.textContent.replace(/\u2060/g, "").trim();
      const plot = layers[0];
      if (plot.getAttribute("aria-label") !== label) {
        plot.setAttribute("role", "img");
        plot.setAttribute("aria-label", label);
      }
      layers.forEach((layer, i) => { if (i > 0) layer.setAttribute("aria-hidden", "true"); });
    });
    document.querySelectorAll(".modebar-btn[data-title]").forEach((button) => {
      const said = words[button.dataset.title];
      if (said) {
        button.dataset.title = said;
        button.setAttribute("aria-label", said);
      }
    });
    // the toolbar's messages, and Streamlit's page-not-found dialog
    document.querySelectorAll('.notifier-note p, [role="dialog"] h2, [role="dialog"] div').forEach((note) => {
      if (note.children.length) return;
      const said = words[note.textContent.trim()];
      if (said) note.textContent = said;
    });
    // Streamlit's buttons named in English: Close, Add files, Show password, Remove <file>, Help for <label>
    document.querySelectorAll("button[aria-label]").forEach((button) => {
      const name = button.getAttribute("aria-label");
      let said = words[name];
      // ui/a11y.py STREAMLIT_NAMED: "Remove " -> "移除 {name}"
      for (const [start, template] of Object.entries(words)) {
        if (!said && template.includes("{name}") && name.startsWith(start) && name.length > start.length) {
          said = template.replace("{name}", () => name.slice(start.length));
        }
      }
      if (said) button.setAttribute("aria-label", said);
    });
  };
  window.__a11yApply = apply;
  if (!window.__a11yWatch) {
    window.__a11yWatch = true;
    watch();
  }
  apply();
}

function watch() {
  let queued = false;
  const soon = () => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(() => { queued = false; window.__a11yApply(); });
    }
  };
  const root = document.querySelector('[data-testid="stApp"]');
  if (root) {
    new MutationObserver(() => {
      if (root.getAttribute("data-test-script-state") !== "notRunning") return;
      [0, 300, 1500].forEach((ms) => setTimeout(soon, ms));
    }).observe(root, {attributes: true, attributeFilter: ["data-test-script-state"]});
  }
  new MutationObserver(soon).observe(document.documentElement, {attributes: true, attributeFilter: ["lang"]});
  let notes = null;
  new MutationObserver(() => {
    const box = document.querySelector(".plotly-notifier");
    if (box && box !== notes) new MutationObserver(soon).observe((notes = box), {childList: true, subtree: true});
  }).observe(document.body, {childList: true});
  setInterval(() => { if (!document.hidden) soon(); }, 2000);
  soon();
}

// ui/basket_keeper.py
export function basketKeeper({ data, setStateValue }) {
  const keeper = (window.__basketKeeper = window.__basketKeeper || {});
  const KEY = "records_basket";
  const read = () => { try { return window.localStorage.getItem(KEY); } catch (e) { return null; } };
  if (keeper.token !== data.token) {  // a new server session
    keeper.token = data.token;
    const stored = read();
    keeper.synced = !stored || stored === "[]";
    if (!keeper.synced) setStateValue("stored", stored);
  }
  if (data.ready) keeper.synced = true;
  // only a newer basket: an element of a run cut short may come after a later one
  if (!keeper.synced || data.seq < (keeper.seq || 0)) return;
  keeper.seq = data.seq;
  try {
    if (data.basket === "[]") window.localStorage.removeItem(KEY);
    else if (read() !== data.basket) window.localStorage.setItem(KEY, data.basket);
  } catch (e) { /* storage off or full: the basket lives as long as the session */ }
}

// ui/device.py
export function phoneProbe({ data, setStateValue }) {
  const probe = (window.__phoneProbe = window.__phoneProbe || {});
  probe.data = data;
  probe.set = setStateValue;
  const query = window.matchMedia(`(max-width: ${data.below - 1}px)`);
  const report = () => {
    if (query.matches !== probe.data.phone) {
      probe.data = { ...probe.data, phone: query.matches };
      probe.set("narrow", query.matches);
    }
  };
  if (probe.query !== query.media) {
    if (probe.stop) probe.stop();
    query.addEventListener("change", report);
    probe.query = query.media;
    probe.stop = () => query.removeEventListener("change", report);
  }
  report();
  return () => {
    probe.stop();
    probe.query = probe.stop = null;
  };
}
