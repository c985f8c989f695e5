#!/usr/bin/env bash
# Regenerates the call board's voice segments (display-ui/public/voices/): fr and en with espeak-ng, the Wolof
# manifest without files. Needs espeak-ng and sox (Debian: apt-get install -y espeak-ng sox). Dev-time only: the
# generated files are committed. Usage: scripts/make-voices.sh [fr] [en] [wo]
set -euo pipefail
for tool in espeak-ng sox node; do
  command -v "$tool" >/dev/null || { echo "make-voices: $tool is missing (apt-get install -y espeak-ng sox)" >&2; exit 1; }
done
cd "$(dirname "$0")/.."
node scripts/make-voices.mjs "$@"
du -sh display-ui/public/voices
