#!/usr/bin/env bash
# Installs everything OpenNPS needs on Debian 12, and nothing twice: Debian packages
# (only the missing ones; clang 14 with libFuzzer and clang-format 14 for the fuzzing build
# and the formatting check), the Dear ImGui sources (apt-get source, project-local),
# and the web tools from web/package-lock.json (npm ci). Safe to run again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  emscripten nlohmann-json3-dev catch2 libcpp-httplib-dev libimgui-dev libglfw3-dev
  libssl-dev libsqlite3-dev sqlite3 zlib1g-dev libbrotli-dev libpq-dev postgresql libsodium-dev
  chromium xvfb xauth fonts-noto-core fonts-noto-cjk
  libgl-dev libgl1-mesa-dri fonttools curl
  clang libclang-rt-14-dev clang-format python3
  libcurl4-openssl-dev libqrencode-dev libicu-dev libstemmer-dev
  python3-aiosmtpd nginx python3-numpy python3-sklearn python3-statsmodels
)
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Dear ImGui's core sources (the binary package has headers only) for the Wasm build,
# from Debian's source package, without touching the system's apt lists.
imgui_dir="$root/.deps/imgui"
if [ ! -f "$imgui_dir/imgui.cpp" ]; then
  apt_dir="$root/.deps/apt"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/sources"
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  # The machine's own Debian mirror: the first URIs line of a deb822 file naming .../debian.
  mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}' || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  cat > "$apt_dir/sources/imgui.sources" <<SRC
Types: deb-src
URIs: ${mirror%/}
Suites: $codename
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  aptopts=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$apt_dir/sources"
           -o Dir::State::Lists="$apt_dir/lists")
  $SUDO apt-get "${aptopts[@]}" update -qq
  ( cd "$apt_dir" && $SUDO apt-get "${aptopts[@]}" source --download-only imgui >/dev/null )
  rm -rf "$imgui_dir" && mkdir -p "$imgui_dir"
  tarball=$(ls "$apt_dir"/imgui_*.orig.tar.* | head -n1)
  tar -xf "$tarball" -C "$imgui_dir" --strip-components=1
  test -f "$imgui_dir/imgui.cpp"
fi

# Web tools (esbuild, TypeScript, playwright-core) exactly as locked. Browsers are never
# downloaded: the tests drive Debian's chromium.
if [ ! -d "$root/web/node_modules" ] || [ "$root/web/package-lock.json" -nt "$root/web/node_modules/.package-lock.json" ]; then
  ( cd "$root/web" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error )
fi
echo "deps: ready"
