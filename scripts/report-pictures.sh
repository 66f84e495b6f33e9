#!/usr/bin/env bash
# Pictures of the demo report as a reader sees it, for docs/REPORT-PICTURES.md: the workbook's
# Summary and first Findings page as LibreOffice prints them (PDF, then PNG with poppler), and
# the HTML page in a 1280 px Chromium window. Needs soffice, pdftoppm, pdftotext and chromium.
#   scripts/report-pictures.sh [out-dir]   (default docs/pictures)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/pictures}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

status=0
node bin/infusion-audit.js run --roster data/demo --policy data/demo-policy.json \
  --as-of 2026-11-01 --out "$work/reports" --db "file:$work/demo.db" >/dev/null || status=$?
case $status in 0 | 1 | 4) ;; *) echo "demo run failed (exit $status)" >&2; exit 1 ;; esac
xlsx=$(ls "$work"/reports/2026-11-01/*.xlsx | head -n 1)
html=$(ls "$work"/reports/2026-11-01/*.html | head -n 1)

# Workbook -> PDF (every sheet, as printed) -> one PNG per page.
soffice "-env:UserInstallation=file://$work/profile" --headless --convert-to pdf --outdir "$work" "$xlsx" >/dev/null 2>&1
pdf="$work/$(basename "${xlsx%.xlsx}").pdf"
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
# The page footer names the sheet: the first page whose footer says "Findings, run".
findings=1
maps=0
for ((p = 1; p <= pages; p++)); do
  text=$(pdftotext -f "$p" -l "$p" -layout "$pdf" -)
  if [ "$findings" -eq 1 ] && grep -q 'Findings, run' <<<"$text"; then findings=$p; fi
  if grep -q 'Maps, run' <<<"$text"; then
    maps=$p
    break
  fi
done
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$pdf" "$out/workbook-summary"
pdftoppm -png -r 80 -f "$findings" -l "$findings" -singlefile "$pdf" "$out/workbook-findings"
# The first page of the Maps sheet: a plan's county coverage map inside the workbook.
if [ "$maps" -gt 0 ]; then
  pdftoppm -png -r 80 -f "$maps" -l "$maps" -singlefile "$pdf" "$out/workbook-maps"
fi

# HTML page in a 1280 px window.
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --hide-scrollbars --screenshot="$out/html-report.png" --window-size=1280,1600 \
  "file://$(realpath "$html")" >/dev/null 2>&1

# The HTML page printed (its print CSS: landscape, header rows repeated): the first findings page.
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --no-pdf-header-footer --print-to-pdf="$work/html.pdf" "file://$(realpath "$html")" >/dev/null 2>&1
hpages=$(pdfinfo "$work/html.pdf" | awk '/^Pages:/ { print $2 }')
hfindings=1
for ((p = 1; p <= hpages; p++)); do
  if pdftotext -f "$p" -l "$p" -layout "$work/html.pdf" - | grep -q '^ *Findings ('; then
    hfindings=$p
    break
  fi
done
pdftoppm -png -r 80 -f "$hfindings" -l "$hfindings" -singlefile "$work/html.pdf" "$out/html-print-findings"

echo "wrote $out/html-print-findings.png (printed HTML page $hfindings of $hpages)"
echo "wrote $out/workbook-summary.png, $out/workbook-findings.png (PDF page $findings of $pages), $out/workbook-maps.png (page $maps), $out/html-report.png"
