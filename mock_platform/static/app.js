// The little script the platform's pages need: countdown, consent tick, captcha refresh,
// upload rows, address drop-downs, 「同工作地址」, a submit button that fires once, tabs,
// the question dialog of 「新增申請人」 and its at-once eligibility check.
"use strict";

// Every request that changes something carries the page's session token (mock_platform/csrf.py).
function postHeaders() {
  const token = document.querySelector("meta[name=csrf-token]");
  return { Accept: "application/json", "X-CSRF-Token": token ? token.content : "" };
}

function formatSeconds(total) {
  const minutes = String(Math.floor(total / 60)).padStart(2, "0");
  const seconds = String(total % 60).padStart(2, "0");
  return `${minutes}:${seconds}`;
}

function startCountdown(element) {
  let left = Number(element.dataset.countdown);
  const deadline = Date.now() + left * 1000;
  element.textContent = formatSeconds(left);
  const timer = setInterval(() => {
    left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    element.textContent = formatSeconds(left);
    if (left === 0) {
      clearInterval(timer);
      window.location.href = element.dataset.timeoutUrl;
    }
  }, 1000);
}

function wireConsent(form) {
  const tick = form.querySelector("[data-consent-check]");
  const ok = form.querySelector("[data-consent-ok]");
  const sync = () => { ok.disabled = !tick.checked; };
  tick.addEventListener("change", sync);
  sync();
}

function wireCaptcha(button) {
  const image = document.querySelector("[data-captcha-image]");
  button.addEventListener("click", async () => {
    await fetch("/coa-frontend/four-in-one/captcha/next", { method: "POST", headers: postHeaders() });
    image.src = `/coa-frontend/four-in-one/captcha.png?t=${Date.now()}`;
    document.getElementById("captcha").value = "";
  });
}

function resetRow(row, statusText) {
  row.querySelector("input[type=file]").value = "";
  row.querySelector("[data-token]").value = "";
  row.querySelector("[data-status]").textContent = statusText;
}

function showPreview(group, url) {
  const previewId = group.dataset.preview;
  if (previewId) document.getElementById(previewId).src = url;
}

async function uploadChosenFile(group, row, input) {
  const error = group.querySelector("[data-error]");
  const file = input.files[0];
  if (!file) return;
  const body = new FormData();
  body.append("field", group.dataset.uploadGroup);
  body.append("file", file);
  row.querySelector("[data-status]").textContent = "上傳中…";
  const response = await fetch(group.dataset.uploadUrl, {
    method: "POST", body, headers: postHeaders(),
  });
  const result = await response.json().catch(() => ({ message: "上傳失敗，請稍後再試一次。" }));
  if (response.status === 401) {
    window.location.reload();  // the page's own login guard sends the browser to its login
    return;
  }
  if (!response.ok) {
    resetRow(row, "未選擇任何檔案");
    error.textContent = result.message;
    group.classList.add("has-error");
    return;
  }
  error.textContent = "";
  group.classList.remove("has-error");
  row.querySelector("[data-token]").value = result.token;
  row.querySelector("[data-status]").textContent = `已上傳：${result.filename}（${result.size_kb}K）`;
  showPreview(group, result.preview_url);
}

function wireUploadGroup(group) {
  const rows = group.querySelector(".upload-rows");
  const max = Number(group.dataset.maxFiles);
  group.addEventListener("change", (event) => {
    if (event.target.type !== "file") return;
    uploadChosenFile(group, event.target.closest("[data-upload-row]"), event.target);
  });
  group.addEventListener("click", (event) => {
    const row = event.target.closest("[data-upload-row]");
    if (event.target.matches("[data-clear]")) {
      resetRow(row, "未選擇任何檔案");
      group.querySelector("[data-error]").textContent = "";
      group.classList.remove("has-error");
      showPreview(group, "/static/photo-placeholder.svg");
    } else if (event.target.matches("[data-add]")) {
      if (rows.children.length >= max) {
        group.querySelector("[data-error]").textContent = `最多上傳 ${max} 個檔案`;
        return;
      }
      const copy = row.cloneNode(true);
      resetRow(copy, "未選擇任何檔案");
      rows.appendChild(copy);
    }
  });
}

function districtsOf(city) {
  const data = document.getElementById("tw-districts");
  return data ? (JSON.parse(data.textContent)[city] || []) : [];
}

function fillDistricts(select, city, chosen) {
  select.innerHTML = "";
  select.add(new Option("請選擇鄉鎮市區", ""));
  for (const name of districtsOf(city)) select.add(new Option(name, name, false, name === chosen));
}

function wireAddress(block) {
  const city = block.querySelector("[data-city]");
  const district = block.querySelector("[data-district]");
  city.addEventListener("change", () => fillDistricts(district, city.value, ""));
}

function copyAddress(from, to) {
  const source = document.querySelector(`[data-address=${from}]`);
  const target = document.querySelector(`[data-address=${to}]`);
  target.querySelector("[data-city]").value = source.querySelector("[data-city]").value;
  fillDistricts(target.querySelector("[data-district]"), source.querySelector("[data-city]").value,
    source.querySelector("[data-district]").value);
  for (const input of source.querySelectorAll("input")) {
    const twin = target.querySelector(`[name=${input.name.replace(from + "_", to + "_")}]`);
    if (twin) twin.value = input.value;
  }
}

function wireSameAs(box) {
  const [from, to] = box.dataset.sameAs.split(":");
  box.addEventListener("change", () => { if (box.checked) copyAddress(from, to); });
}

function wireSubmitOnce(form) {
  form.addEventListener("submit", () => {
    for (const button of form.querySelectorAll("[data-submit]")) button.disabled = true;
  });
}

function wireTabs(container) {
  const tabs = [...container.querySelectorAll("[role=tab]")];
  const show = (index) => {
    tabs.forEach((tab, i) => {
      tab.setAttribute("aria-selected", String(i === index));
      tab.classList.toggle("active", i === index);
      document.getElementById(tab.getAttribute("aria-controls")).hidden = i !== index;
    });
    window.scrollTo(0, 0);
  };
  const current = () => tabs.findIndex((tab) => tab.getAttribute("aria-selected") === "true");
  tabs.forEach((tab, i) => tab.addEventListener("click", () => show(i)));
  container.addEventListener("click", (event) => {
    if (event.target.matches("[data-tab-next]")) show(Math.min(current() + 1, tabs.length - 1));
    if (event.target.matches("[data-tab-prev]")) show(Math.max(current() - 1, 0));
  });
  const initial = tabs.findIndex((tab) => tab.id === `tab-${container.dataset.initialTab}`);
  show(Math.max(initial, 0));
}

// 「領域專長」 → 「資格條件」: only the chosen field's qualifications are offered.
function wireQualifications(data) {
  const byField = JSON.parse(data.textContent);
  const field = document.getElementById("expertise_field");
  const choice = document.getElementById("qualification");
  if (!field || !choice) return;
  const refill = () => {
    const chosen = choice.value;
    choice.innerHTML = "";
    choice.add(new Option("請選擇", ""));
    for (const text of byField[field.value] || []) choice.add(new Option(text, text, false, text === chosen));
  };
  field.addEventListener("change", refill);
  refill();
}

function conditionHolds(form, condition) {
  return condition.split("&").every((part) => {
    const [name, value] = part.split("=");
    if (name === "eligible") return form.dataset.eligible === value;
    const control = form.elements[name];
    return control !== undefined && control.value === value;
  });
}

function applyConditions(form) {
  for (const element of form.querySelectorAll("[data-show-when]")) {
    const condition = element.dataset.showWhen.trim();
    element.hidden = condition !== "" && !conditionHolds(form, condition);
  }
}

async function checkEligibility(form) {
  const result = form.querySelector("[data-eligibility-result]");
  const [uino, born] = [form.elements.uino.value.trim(), form.elements.birth_date.value.trim()];
  form.dataset.eligible = "";
  result.textContent = "";
  result.className = "eligibility";
  if (uino && born) {
    const body = new FormData();
    body.append("uino", uino);
    body.append("birth_date", born);
    result.textContent = "檢核中…";
    const response = await fetch(form.dataset.eligibilityUrl, {
      method: "POST", body, headers: postHeaders(),
    });
    if (response.status === 401) { window.location.reload(); return; }
    const answer = await response.json();
    form.dataset.eligible = answer.eligible ? "yes" : "no";
    result.textContent = answer.message;
    result.className = answer.eligible ? "eligibility eligible" : "eligibility field-error";
    result.setAttribute("role", answer.eligible ? "status" : "alert");
  }
  applyConditions(form);
}

function wireQuestions(form) {
  const reveal = form.querySelector("[data-reveal]");
  const questions = document.getElementById(reveal.dataset.reveal);
  const sync = () => { questions.hidden = !reveal.checked; };
  reveal.addEventListener("change", sync);
  sync();
  form.addEventListener("change", (event) => {
    if (event.target.matches("[data-eligibility-input]")) checkEligibility(form);
    else applyConditions(form);
  });
  applyConditions(form);
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-countdown]").forEach(startCountdown);
  document.querySelectorAll("[data-consent-form]").forEach(wireConsent);
  document.querySelectorAll("[data-captcha-next]").forEach(wireCaptcha);
  document.querySelectorAll("[data-upload-group]").forEach(wireUploadGroup);
  document.querySelectorAll("[data-address]").forEach(wireAddress);
  document.querySelectorAll("[data-same-as]").forEach(wireSameAs);
  document.querySelectorAll("[data-submit-once]").forEach(wireSubmitOnce);
  document.querySelectorAll("[data-tabs]").forEach(wireTabs);
  document.querySelectorAll("#qualifications").forEach(wireQualifications);
  document.querySelectorAll("[data-questions-form]").forEach(wireQuestions);
});

// 線上繳費: 「全選」 ticks every case of the list (and goes off when one is unticked);
// 「列印繳費單」 prints the store slip.
function wireSelectAll(form) {
  const all = form.querySelector("[data-select-all]");
  const rows = [...form.querySelectorAll("[data-select-row]")];
  all.addEventListener("change", () => { for (const row of rows) row.checked = all.checked; });
  for (const row of rows) {
    row.addEventListener("change", () => { all.checked = rows.every((box) => box.checked); });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-select-all-form]").forEach(wireSelectAll);
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});

// Students Online Application System: 「大頭照自動裁切」 (S.10–S.13) and the alert
// 「送件成功, 收件號: …」 that the dashboard raises once after 「送出」 (S.15).
function wireDialogButtons() {
  document.querySelectorAll("[data-open-dialog]").forEach((button) => {
    button.addEventListener("click", () => {
      document.getElementById(button.dataset.openDialog).hidden = false;
    });
  });
  document.querySelectorAll("[data-close-dialog]").forEach((button) => {
    button.addEventListener("click", () => {
      document.getElementById(button.dataset.closeDialog).hidden = true;
    });
  });
}

function wireCrop(dialog) {
  const form = dialog.querySelector("[data-crop-form]");
  const file = form.querySelector("[data-crop-file]");
  const error = dialog.querySelector("[data-crop-error]");
  const notice = dialog.querySelector("[data-crop-notice]");
  const original = dialog.querySelector("[data-crop-original]");
  const result = dialog.querySelector("[data-crop-result]");
  const download = dialog.querySelector("[data-crop-download]");
  const clear = () => {
    error.textContent = "";
    notice.hidden = true;
    for (const element of [original, result, download]) element.hidden = true;
  };
  const loaded = (image, url) => new Promise((resolve) => {
    image.onload = resolve;
    image.onerror = resolve;
    image.src = url;
    image.hidden = false;
  });
  form.addEventListener("reset", clear);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clear();
    if (!file.files.length) { error.textContent = "大頭照檔案上傳：請先選擇檔案"; return; }
    const body = new FormData();
    body.append("file", file.files[0]);
    const response = await fetch(dialog.dataset.cropUrl, {
      method: "POST", body, headers: postHeaders(),
    });
    if (response.status === 401) { window.location.reload(); return; }
    const answer = await response.json();
    if (!response.ok) { error.textContent = answer.message; return; }
    await Promise.all([loaded(original, answer.original_url), loaded(result, answer.cropped_url)]);
    notice.textContent = answer.notice;
    notice.hidden = false;
    download.href = answer.download_url;
    download.removeAttribute("aria-disabled");
    download.hidden = false;
    dialog.dataset.cropped = "yes";
  });
}

document.addEventListener("DOMContentLoaded", () => {
  wireDialogButtons();
  document.querySelectorAll("[data-crop-url]").forEach(wireCrop);
  document.querySelectorAll("[data-alert-on-load]").forEach((marker) => {
    window.alert(marker.dataset.alertOnLoad);
    window.history.replaceState(null, "", marker.dataset.alertThen);
  });
});
