#!/usr/bin/env bash
# One-shot, idempotent set-up for coa-e2e (see DESIGN.md "Setup contract"):
#   1. .venv with the project installed editable, plus dev extras (ruff);
#   2. a Chromium: Playwright's own download where it works, else the
#      distribution's /usr/bin/chromium (installed with apt-get when missing);
#   3. a Traditional Chinese font (fonts-noto-cjk) for deterministic screenshots.
# Re-running is cheap: stamps in .venv/ skip the pip install and a Playwright
# download already known to fail. Progress goes to stderr, prefixed "[setup]".
#
# Environment:
#   PYTHON                        interpreter used to create .venv (default: python3)
#   COA_RETRY_PLAYWRIGHT_INSTALL  set to 1 to retry a Playwright download that failed before
#   PLAYWRIGHT_INSTALL_TIMEOUT    seconds allowed for that download (default: 120)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=.venv
PY="$VENV/bin/python"
PYTHON="${PYTHON:-python3}"
PW_UNAVAILABLE_STAMP="$VENV/.playwright-browser-unavailable"
STATE_FILE="$VENV/.browser-state"
MANUAL_HINT="install them by hand, e.g. 'sudo apt-get install -y chromium fonts-noto-cjk' \
(or '.venv/bin/playwright install --with-deps chromium' plus 'sudo apt-get install -y fonts-noto-cjk'), then re-run 'make setup'"

log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- apt helpers
APT_SUDO=""       # "" when root, "sudo -n" when sudo works without a password
APT_UPDATED=0     # apt-get update runs at most once per invocation

can_apt() {
    command -v apt-get >/dev/null 2>&1 || return 1
    if [ "$(id -u)" -eq 0 ]; then
        APT_SUDO=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        APT_SUDO="sudo -n"
    else
        return 1
    fi
}

# apt_install PKG... : one `apt-get update` per run, then a quiet install.
# Waits (up to 10 min) for a dpkg/apt lock held by another install instead of failing.
apt_install() {
    local lock_opt=(-o DPkg::Lock::Timeout=600)
    if [ "$APT_UPDATED" -eq 0 ]; then
        log "apt-get update"
        local i
        for i in 1 2 3 4 5 6; do
            # shellcheck disable=SC2086
            if $APT_SUDO apt-get "${lock_opt[@]}" update -qq >&2; then
                APT_UPDATED=1
                break
            fi
            log "apt-get update failed (attempt $i; apt may be busy: $(pgrep -a 'apt|dpkg' 2>/dev/null | tr '\n' ' ' || true)); retrying in 20 s"
            sleep 20
        done
        [ "$APT_UPDATED" -eq 1 ] || die "apt-get update keeps failing; $MANUAL_HINT"
    fi
    log "apt-get install $*"
    # shellcheck disable=SC2086
    $APT_SUDO env DEBIAN_FRONTEND=noninteractive \
        apt-get "${lock_opt[@]}" install -y -qq --no-install-recommends "$@" >&2
}

# ---------------------------------------------------------------- 1. Python
if [ ! -x "$PY" ]; then
    command -v "$PYTHON" >/dev/null 2>&1 || die "'$PYTHON' not found; install Python 3.11+ or set PYTHON=/path/to/python3"
    log "creating $VENV with $PYTHON ($("$PYTHON" --version 2>&1))"
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
        # Debian's python3 ships without ensurepip unless python3-venv is installed.
        rm -rf "$VENV"
        can_apt || die "'$PYTHON -m venv' failed; install the venv module (e.g. 'sudo apt-get install -y python3-venv') and re-run"
        pyver="$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
        apt_install python3-venv "python${pyver}-venv"
        "$PYTHON" -m venv "$VENV" || die "'$PYTHON -m venv $VENV' still fails"
    fi
fi

# The stamp follows both files: a new dependency or a new pinned version reinstalls.
pyproject_sha="$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)"
install_stamp="$VENV/.installed-$pyproject_sha"
if [ -f "$install_stamp" ]; then
    log "Python packages up to date (pyproject.toml unchanged)"
else
    log "installing Python packages: pip install -c constraints.txt -e '.[dev]'"
    "$PY" -m pip install -q --disable-pip-version-check --upgrade pip >&2
    # constraints.txt pins every version the baselines were made with.
    "$PY" -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]' >&2
    rm -f "$VENV"/.installed-*
    touch "$install_stamp"
fi

# ---------------------------------------------------------------- 2. browser
# Prints the path of Playwright's Chromium if it is downloaded and starts; else nothing.
playwright_chromium() {
    local exe
    exe="$("$PY" - <<'EOF' 2>/dev/null
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    print(p.chromium.executable_path)
EOF
)" || return 0
    if [ -n "$exe" ] && [ -x "$exe" ] && "$exe" --version >/dev/null 2>&1; then
        printf '%s\n' "$exe"
    fi
}

system_chromium() {
    local c
    for c in /usr/bin/chromium /usr/bin/chromium-browser; do
        [ -x "$c" ] && { printf '%s\n' "$c"; return 0; }
    done
    return 0
}

browser_kind=""
browser_path="$(playwright_chromium)"
if [ -n "$browser_path" ]; then
    browser_kind=playwright
elif [ -f "$PW_UNAVAILABLE_STAMP" ] && [ "${COA_RETRY_PLAYWRIGHT_INSTALL:-0}" != 1 ]; then
    log "Playwright's Chromium download failed before; not retrying (set COA_RETRY_PLAYWRIGHT_INSTALL=1 to retry)"
else
    pw_timeout="${PLAYWRIGHT_INSTALL_TIMEOUT:-120}"
    log "downloading Playwright's Chromium (timeout ${pw_timeout}s)"
    pw_log="$(mktemp)"
    if PLAYWRIGHT_DOWNLOAD_CONNECTION_TIMEOUT="${PLAYWRIGHT_DOWNLOAD_CONNECTION_TIMEOUT:-30000}" \
        timeout "$pw_timeout" "$PY" -m playwright install chromium >"$pw_log" 2>&1 \
        && browser_path="$(playwright_chromium)" && [ -n "$browser_path" ]; then
        browser_kind=playwright
        rm -f "$PW_UNAVAILABLE_STAMP"
    else
        pw_err="$(grep -m 1 -E '^(Error|Failed)' "$pw_log" || tail -n 1 "$pw_log" || true)"
        log "Playwright's Chromium is unavailable here (${pw_err:-timed out}); falling back to the system Chromium"
        date -u +%Y-%m-%dT%H:%M:%SZ >"$PW_UNAVAILABLE_STAMP"
    fi
    rm -f "$pw_log"
fi

apt_pkgs=()
if [ -z "$browser_kind" ]; then
    browser_path="$(system_chromium)"
    if [ -n "$browser_path" ]; then
        browser_kind=system
    else
        log "no Chromium found (/usr/bin/chromium); will install Debian's 'chromium'"
        apt_pkgs+=(chromium)
    fi
fi

# ---------------------------------------------------------------- 3. CJK fonts
has_zh_tw_font() {
    command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh-tw family 2>/dev/null)" ]
}

if ! command -v fc-list >/dev/null 2>&1; then
    log "fc-list missing; will install 'fontconfig' and 'fonts-noto-cjk'"
    apt_pkgs+=(fontconfig fonts-noto-cjk)
elif ! has_zh_tw_font; then
    log "no Traditional Chinese font (fc-list :lang=zh-tw is empty); will install 'fonts-noto-cjk'"
    apt_pkgs+=(fonts-noto-cjk)
fi

# Receipt PDFs embed this TrueType CJK font (mock_platform/services/receipt_pdf.py).
[ -f /usr/share/fonts/truetype/arphic/uming.ttc ] || apt_pkgs+=(fonts-arphic-uming)

# ---------------------------------------------------------------- system packages (one apt run)
if [ "${#apt_pkgs[@]}" -gt 0 ]; then
    can_apt || die "missing system packages (${apt_pkgs[*]}) and cannot install them (not root, no password-less sudo, or no apt-get); $MANUAL_HINT"
    apt_install "${apt_pkgs[@]}" || die "apt-get install ${apt_pkgs[*]} failed; $MANUAL_HINT"
    if [ -z "$browser_kind" ]; then
        browser_path="$(system_chromium)"
        [ -n "$browser_path" ] || die "Chromium still missing after apt-get install; $MANUAL_HINT"
        browser_kind=system
    fi
fi
has_zh_tw_font || die "no Traditional Chinese font found (fc-list :lang=zh-tw); $MANUAL_HINT"

# ---------------------------------------------------------------- record state
# Debian's /usr/bin/chromium wrapper prints shell noise on stderr; keep stdout only.
browser_version="$("$browser_path" --version 2>/dev/null | head -n 1)" || true
[ -n "$browser_version" ] || die "'$browser_path --version' failed; the browser cannot start; $MANUAL_HINT"
zh_font="$(fc-match -f '%{family}' 'sans-serif:lang=zh-tw' 2>/dev/null || true)"

cat >"$STATE_FILE" <<EOF
browser=$browser_kind
path=$browser_path
version=$browser_version
zh_tw_font=$zh_font
pyproject_sha256=$pyproject_sha
EOF
log "browser: $browser_kind Chromium at $browser_path ($browser_version)"
log "zh-TW font: $zh_font"
log "done (state recorded in $STATE_FILE)"
