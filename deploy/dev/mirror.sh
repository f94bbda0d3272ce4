#!/bin/sh
# The front door for root in a folder the service user cannot reach.
#
# As root, PostgreSQL, the FastCGI workers and nginx's workers run as the
# unprivileged user "hgkm" (PostgreSQL refuses root).  A checkout in root's
# home folder (mode 0700) is out of that user's reach, so there the stacks
# run from a copy of the checkout that it can read: /var/lib/hgkm-dev/<name>.
#   mirror.sh path   prints the copy's folder when one is needed, else nothing
#   mirror.sh sync   brings the copy up to date with the checkout (files
#                    the checkout no longer has go; var/, build/ and the
#                    browser tests' node_modules of the copy stay)
# The Makefile calls it; `make run`, `make test` and `make stop` then run
# in the copy.  Edits in the checkout reach the copy at the next make.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd -P)
BASE=/var/lib/hgkm-dev

needed() {
	[ "$(id -u)" -eq 0 ] || return 1
	# "nobody" stands for any user without rights of its own, as hgkm is;
	# it need not exist yet.
	! setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		test -r "$ROOT/Makefile" -a -x "$ROOT/deploy/dev/stack.sh" 2>/dev/null
}

copy_dir() {
	sum=$(printf '%s' "$ROOT" | sha256sum | cut -c1-10)
	printf '%s/%s-%s\n' "$BASE" "$(basename "$ROOT")" "$sum"
}

case ${1:-} in
path)
	if needed; then copy_dir; fi
	;;
sync)
	dir=$(copy_dir)
	if ! command -v rsync >/dev/null 2>&1; then
		echo "rsync is missing; install it: apt-get install rsync" >&2
		exit 1
	fi
	mkdir -p "$dir"
	chmod 755 "$BASE" "$dir"
	# Readable by the service user whatever the umask of the checkout was.
	rsync -a --delete --chmod=Dgo+rx,Fgo+r,go-w --exclude=/.git \
		--exclude=/var --exclude=/build --exclude=/tests/browser/node_modules \
		"$ROOT/" "$dir/"
	echo "$ROOT is out of reach of the service user hgkm; running from a copy in $dir" >&2
	;;
*)
	echo "usage: mirror.sh path|sync" >&2
	exit 2
	;;
esac
