#!/bin/sh
# Prints debian/changelog for `make deb` with the version given; the
# project's history is its git log.
set -eu
cat <<CL
hgkm (${1:?version}) unstable; urgency=medium

  * Built from $(git rev-parse --short HEAD 2>/dev/null || echo "a source tree").

 -- HGKM leerplatform <beheer@leren.example.nl>  $(date -R)
CL
