#!/usr/bin/env bash
# What the first-view wasm would weigh in other designs (issue 13): builds variants of the page wasm
# from a scratch worktree of HEAD and prints each one's brotli size after the shipped pipeline
# (cargo release for wasm32, wasm-bindgen --target web, wasm-opt -Oz --low-memory-unused --converge,
# brotli q11; without postbuild's import renaming, which saves ≈ 4 KB on the shipped file).
#   1. the page as it is (coop-atlas-web);
#   2. Leptos, without the Chart, Profile and Sources tabs (what a second Leptos wasm "for the rest"
#      would take out of the page);
#   3. Leptos, also without own data (panel, banner, sharing), print and the chart library: a lean
#      Leptos first view of header, filters, cards, map and table;
#   4. no Leptos: lean.rs (this folder), the engine's computations of a link's first view written
#      into the pre-rendered copy with plain DOM calls.
# Usage: bash scripts/probes/first-view/measure.sh   (after scripts/setup.sh; ~10 min on 2 cores)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
WORK=$(mktemp -d /tmp/first-view-probe.XXXXXX)
trap 'git -C "$ROOT" worktree remove --force "$WORK/src-tree" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
git -C "$ROOT" worktree add --detach "$WORK/src-tree" HEAD >/dev/null
cd "$WORK/src-tree"
# Reuse the project's compiled dependencies (the scratch tree builds only what changed).
export CARGO_TARGET_DIR="$ROOT/target/first-view-probe"
WASM_OPT="$ROOT/node_modules/binaryen/bin/wasm-opt"
WASM_BINDGEN=$(command -v wasm-bindgen || echo "$HOME/.cargo/bin/wasm-bindgen")

size() { # bin label
  # The variants leave unused code behind: their warnings are noise here, errors are not.
  cargo build --quiet --release --target wasm32-unknown-unknown --bin "$1" 2>"$WORK/build.log" || { cat "$WORK/build.log"; exit 1; }
  local out="$WORK/out-$1"; rm -rf "$out"
  "$WASM_BINDGEN" --target web --no-typescript --out-dir "$out" "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/$1.wasm"
  "$WASM_OPT" -Oz --low-memory-unused --converge --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals "$out/$1_bg.wasm" -o "$out/opt.wasm"
  node -e "const z=require('zlib'),b=require('fs').readFileSync('$out/opt.wasm');
    console.log(('$2').padEnd(64), String(b.length).padStart(9), 'B raw', (z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length/1024).toFixed(1).padStart(7), 'KB brotli')"
}

# Replaces text in a file; fails loudly when the text is not there (the app changed: update the probe).
edit() { # file old new
  python3 - "$@" <<'PY'
import sys
path, old, new = sys.argv[1], sys.argv[2], sys.argv[3]
s = open(path).read()
if old not in s:
    sys.exit(f"probe: {path} no longer contains {old!r}: update scripts/probes/first-view/measure.sh")
open(path, 'w').write(s.replace(old, new))
PY
}

size coop-atlas-web "1. the page wasm as it is"

edit src/ui/tabs.rs 'Tab::Chart => view! { <ChartTab/> }.into_any(),' 'Tab::Chart => ().into_any(),'
edit src/ui/tabs.rs 'Tab::Sources => view! { <SourcesTab/> }.into_any(),' 'Tab::Sources => ().into_any(),'
edit src/ui/tabs.rs 'Tab::Profile => view! { <super::profile_tab::ProfileTab/> }.into_any(),' 'Tab::Profile => ().into_any(),'
size coop-atlas-web "2. Leptos, without the Chart, Profile and Sources tabs"

edit src/ui/app.rs '    let own = super::own_data::OwnData::start(state);
    provide_context(own);' ''
edit src/ui/app.rs 'let missing = Memo::new(move |_| own.missing.with(|m| m.is_some()));' 'let missing = Memo::new(move |_| false);'
edit src/ui/app.rs '    super::print::install();' ''
edit src/ui/app.rs '        <super::own_data::DataOriginBanner/>' ''
edit src/ui/app.rs '                    {move || (!embed()).then(|| view! { <super::print::PrintHead/> })}' ''
edit src/ui/app.rs '                    {move || (!embed()).then(|| view! { <super::own_data::OwnDataPanel/> })}' ''
edit src/ui/app.rs '    let charts = ChartLib::new();
    provide_context(charts);' ''
edit src/ui/header.rs '    let own = expect_context::<super::own_data::OwnData>();' ''
edit src/ui/header.rs '        if state.view.with_untracked(|v| v.local.is_some()) {
            own.start_share();
            return;
        }' ''
edit src/ui/header.rs '        .chain(super::own_data::switcher_entries(state))' ''
edit src/ui/header.rs '            if super::own_data::select_entry(v, &id) {
                return;
            }' ''
edit src/ui/header.rs '            <super::own_data::ShareLocal/>' ''
size coop-atlas-web "3. Leptos: header, filters, cards, map, table only"

cp "$ROOT/scripts/probes/first-view/lean.rs" src/bin/coop-atlas-first.rs
printf '\n[[bin]]\nname = "coop-atlas-first"\npath = "src/bin/coop-atlas-first.rs"\n' >> Cargo.toml
size coop-atlas-first "4. no Leptos: the engine filling the pre-rendered copy"
