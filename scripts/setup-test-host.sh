#!/usr/bin/env bash
# Installs a real VS Code for the tests: code-server 4.100.3 (= VS Code 1.100.3, Node 20) plus Debian's Chromium.
# Idempotent: everything is cached under the git-ignored .vscode-test/ and skipped when already in place.
# The recipe (code-server's own postinstall cannot run here, so its steps are done by hand) is the verified one
# from the research note on hosting VS Code on this kind of machine.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.vscode-test/code-server"
STAMP="$CACHE/.installed-$CODE_SERVER_VERSION"
START=$(date +%s)

say() { printf '[setup-test-host] %s\n' "$*"; }
fail() { printf '[setup-test-host] FAILED: %s\n' "$*" >&2; exit 1; }
trap 'fail "command failed at line $LINENO (exit $?)"' ERR

# ---- Debian packages ---------------------------------------------------------------------------------------
# chromium drives the UI tests; ripgrep replaces VS Code's downloaded rg; libkrb5-dev has gssapi/gssapi.h for the
# kerberos native module; g++/make/python3 build the native modules; postgresql is the team database's real server
# for `npm run test:team` (its binaries only: the tests start a throwaway cluster of their own, scripts/pg/cluster.mjs);
# poppler-utils has pdftotext (the unit tests read the PDF reports' text with it); fonts-wqy-microhei lets Chromium
# draw the zh-CN UI test's Chinese text (and its screenshots) instead of empty boxes; pngquant shrinks the README's
# screenshots, which the VSIX packages (scripts/shrink-screenshots.mjs).
need_pkgs=()
for pkg in chromium ripgrep libkrb5-dev g++ make python3 postgresql poppler-utils fonts-wqy-microhei pngquant; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then need_pkgs+=("$pkg"); fi
done
if ((${#need_pkgs[@]})); then
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  say "apt-get update (missing: ${need_pkgs[*]})"
  $SUDO apt-get update -qq
  say "apt-get install ${need_pkgs[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
else
  say "Debian packages present: chromium ripgrep libkrb5-dev g++ make python3 postgresql poppler-utils fonts-wqy-microhei pngquant"
fi
[[ -x /usr/bin/pdftotext ]] || fail "/usr/bin/pdftotext missing after install"
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || fail "PostgreSQL's initdb missing after install (/usr/lib/postgresql/*/bin)"

[[ -x /usr/bin/chromium ]] || fail "/usr/bin/chromium missing after install"
[[ -x /usr/bin/rg ]] || fail "/usr/bin/rg missing after install"

# ---- code-server -------------------------------------------------------------------------------------------
if [[ -f "$STAMP" && -x "$CACHE/node_modules/.bin/code-server" ]]; then
  say "code-server $CODE_SERVER_VERSION already installed in ${CACHE#"$ROOT"/}"
else
  say "installing code-server $CODE_SERVER_VERSION into ${CACHE#"$ROOT"/} (no install scripts)"
  rm -rf "$CACHE"
  mkdir -p "$CACHE"
  cd "$CACHE"
  printf '{ "name": "agentmeter-test-host", "private": true }\n' > package.json
  npm install --no-audit --no-fund --loglevel=error --ignore-scripts "code-server@$CODE_SERVER_VERSION"

  VSC="$CACHE/node_modules/code-server/lib/vscode"
  [[ -d "$VSC" ]] || fail "$VSC not found: unexpected code-server layout"

  say "lib/vscode: npm install --omit=dev --ignore-scripts"
  (cd "$VSC" && npm install --no-audit --no-fund --loglevel=error --omit=dev --ignore-scripts)

  say "lib/vscode: ripgrep -> /usr/bin/rg"
  mkdir -p "$VSC/node_modules/@vscode/ripgrep/bin"
  ln -sfn /usr/bin/rg "$VSC/node_modules/@vscode/ripgrep/bin/rg"

  say "lib/vscode: rebuilding native modules (kerberos node-pty spdlog native-watchdog watcher deviceid)"
  (cd "$VSC" && npm_config_yes=true npm rebuild --loglevel=error \
      kerberos node-pty @vscode/spdlog native-watchdog @parcel/watcher @vscode/deviceid)

  say "lib/vscode: node_modules.asar -> node_modules"
  (cd "$VSC" && ln -sfn node_modules node_modules.asar)

  say "lib/vscode/extensions: npm install --omit=dev --ignore-scripts"
  (cd "$VSC/extensions" && npm install --no-audit --no-fund --loglevel=error --omit=dev --ignore-scripts)

  say "code-server: npm rebuild argon2"
  (cd "$CACHE" && npm rebuild --loglevel=error argon2)

  touch "$STAMP"
fi

# (--version may first log that it wrote a default config file; take the line that starts with the version)
VERSION_OUT="$("$CACHE/node_modules/.bin/code-server" --version 2>/dev/null | grep -E '^[0-9]+\.[0-9]+\.[0-9]+' | head -1 || true)"
[[ "$VERSION_OUT" == "$CODE_SERVER_VERSION"* ]] || fail "code-server --version printed '$VERSION_OUT'"
say "ready: code-server $VERSION_OUT, $(/usr/bin/chromium --version 2>/dev/null | head -1) ($(( $(date +%s) - START )) s)"
