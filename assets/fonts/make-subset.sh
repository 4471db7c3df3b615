#!/usr/bin/env bash
# Makes the ticket fonts: DejaVu Sans (Debian's fonts-dejavu-core) cut down to
# the scripts of the five visitor languages (Latin with Lithuanian and Polish
# letters, Cyrillic with Ukrainian letters, and common punctuation), so that
# each ticket PDF embeds tens of kilobytes of font, not megabytes.
# ticketpdf turns them into its two code pages at start. Needs pyftsubset
# (Debian's fonttools). cp125x.map come from gofpdf's font folder (MIT).
set -euo pipefail
cd "$(dirname "$0")"
src=/usr/share/fonts/truetype/dejavu
unicodes="U+0020-007E,U+00A0-017F,U+0400-045F,U+0490-0491,U+2010-2027,U+2030-203A,U+20AC,U+2116,U+2190-2193,U+2713"
for f in DejaVuSans DejaVuSans-Bold; do
  pyftsubset "$src/$f.ttf" --unicodes="$unicodes" --no-hinting --layout-features='' \
    --drop-tables+=GSUB,GPOS,GDEF,kern,FFTM --name-IDs='*' --output-file="$f-ticket.ttf"
done
cp /usr/share/doc/fonts-dejavu-core/copyright LICENSE-DejaVu.txt
