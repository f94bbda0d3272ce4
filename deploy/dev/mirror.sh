#!/bin/bash
# The front door for root in a folder the service user cannot reach.
#
# As root, PostgreSQL, the FastCGI workers and nginx's workers run as the
# unprivileged user "hgkm" (PostgreSQL refuses root).  A checkout in root's
# home folder (mode 0700) is out of that user's reach, so there the stacks
# run from a copy of the checkout that it can read: /var/lib/hgkm-dev/<name>.
#   mirror.sh path   prints the copy's folder when one is needed, else nothing
#   mirror.sh sync   brings the copy up to date with the checkout
# The Makefile calls it; `make run`, `make test` and `make stop` then run
# in the copy.  Edits in the checkout reach the copy at the next make.
#
# What is copied: the files git tracks and the new ones it does not ignore
# (never ignored ones such as var/, build/ or a local secret), and .git
# (bench records the commit).  Readable by root and the group hgkm only;
# symbolic links that point outside the checkout are left out.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd -P)
BASE=/var/lib/hgkm-dev
# Root and the group hgkm read; others nothing.
MODES=Du+rwx,Dg+rx,Dg-w,Do-rwx,Fu+rw,Fg+r,Fg-w,Fo-rwx

needed() {
	[ "$(id -u)" -eq 0 ] || return 1
	case $ROOT/ in "$BASE"/*) return 1 ;; esac # already the copy
	# As hgkm when it exists; before, "nobody" stands for it (a user
	# without rights of its own).
	local as=(--reuid=nobody --regid=nogroup --clear-groups)
	id hgkm >/dev/null 2>&1 && as=(--reuid=hgkm --regid=hgkm --init-groups)
	! setpriv "${as[@]}" -- \
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
	for tool in rsync git; do
		command -v "$tool" >/dev/null 2>&1 ||
			{ echo "$tool is missing; install it: apt-get install $tool" >&2; exit 1; }
	done
	# The same system user stack.sh creates; its group may read the copy.
	if ! id hgkm >/dev/null 2>&1; then
		useradd --system --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin hgkm
	fi
	install -d -m 0750 -o root -g hgkm "$BASE" "$dir"
	list=$(mktemp)
	trap 'rm -f "$list"' EXIT
	# Tracked files deleted in the checkout but not yet in git are left out.
	git -C "$ROOT" ls-files -z --cached --others --exclude-standard |
		(cd "$ROOT" && while IFS= read -r -d '' f; do
			if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
		done) >"$list"
	rsync -a --from0 --files-from="$list" --safe-links --chown=root:hgkm \
		--chmod="$MODES" "$ROOT/" "$dir/"
	# Scripts stay executable for the group (the service runs the mail script).
	find "$dir" \( -path "$dir/var" -o -path "$dir/build" \) -prune -o \
		-type f -perm -u+x -exec chmod g+x {} +
	# What the checkout no longer has goes from the copy too; var/, build/,
	# .git and the browser tests' node_modules of the copy stay.
	(cd "$dir" && find . \( -path ./var -o -path ./build -o -path ./.git -o \
		-path ./tests/browser/node_modules \) -prune -o \
		\( -type f -o -type l \) -print | sed 's|^\./||' |
		grep -vxFf <(tr '\0' '\n' <"$list") | tr '\n' '\0' |
		xargs -0 -r rm -f --)
	rsync -a --delete --chown=root:hgkm --chmod="$MODES" \
		"$ROOT/.git/" "$dir/.git/"
	echo "$ROOT is out of reach of the service user hgkm; running from a copy in $dir" >&2
	;;
*)
	echo "usage: mirror.sh path|sync" >&2
	exit 2
	;;
esac
