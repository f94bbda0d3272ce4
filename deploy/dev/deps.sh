#!/bin/sh
# Checks (and as root installs) the Debian packages the project needs.
#   deps.sh check        packages for building and running (make run)
#   deps.sh check-test   the above plus what the tests need (make test)
#   deps.sh check-bench  the service's packages plus wrk (make bench)
#   deps.sh check-deb    the above build packages plus debhelper (make deb)
set -eu

RUN_PKGS="gcc make pkg-config util-linux curl ca-certificates rsync
postgresql-15 postgresql-client-15 nginx
libfcgi-dev libpq-dev libjansson-dev libjwt-dev libsodium-dev libcmark-dev
libcsv-dev libmagic-dev libhpdf-dev libqrencode-dev"
TEST_PKGS="libcmocka-dev libcurl4-openssl-dev libglpk-dev libfcgi-bin clang libclang-rt-14-dev
chromium nodejs npm
hunspell hunspell-nl poppler-utils valgrind"
# make deb and make test-install (tests/install/).
DEB_PKGS="debhelper dpkg-dev fakeroot openssl logrotate"

want="$RUN_PKGS"
[ "${1:-check}" = "check-test" ] && want="$RUN_PKGS $TEST_PKGS $DEB_PKGS"
[ "${1:-check}" = "check-deb" ] && want="$RUN_PKGS $DEB_PKGS"
# make bench: wrk drives the load (perf, for the profiles, is optional).
[ "${1:-check}" = "check-bench" ] && want="$RUN_PKGS wrk"

missing=""
for p in $want; do
	# nodejs and npm may come from elsewhere (nodesource); a working
	# command is enough for them.
	case $p in
	nodejs) command -v node >/dev/null 2>&1 && continue ;;
	npm) command -v npm >/dev/null 2>&1 && continue ;;
	esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	# A sudoer: sudo asks for the password on a terminal; without one (and
	# without a password-less rule) it fails, and we say what to run.
	SUDO="sudo"
else
	echo "Missing Debian packages. Install them as root, then run make again:" >&2
	echo "  apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi
echo "Installing missing Debian packages:$missing"
APT="$SUDO env DEBIAN_FRONTEND=noninteractive apt-get"
# shellcheck disable=SC2086
if ! { $APT update -qq && $APT install -y -qq --no-install-recommends $missing >/dev/null; }; then
	echo "Installing failed. Install them as root, then run make again:" >&2
	echo "  sudo apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi
