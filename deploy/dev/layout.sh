# shellcheck shell=bash
# The folders of a stack instance (var/<instance>/) and who owns them;
# sourced by deploy/dev/stack.sh and the tests that build an instance of
# their own (tests/replica/replica.sh).  As root, the instance folder and
# every folder root writes into stay root's; the service user owns only the
# folders it must write, so it cannot plant a link where root writes
# (docs/security.md §5, item 8).  As a normal user everything is the
# user's own.

# Written by the service user: its cluster, the sockets, its logs, the mail
# and media it makes, and nginx's temp folders (nginx's workers run as it).
# nginx's master chowns each temp folder it is given, following links, so
# those lie in the root-owned tmp/ and not in a folder the service owns.
LAYOUT_SERVICE_DIRS=(pg run log/service mail media tmp/body tmp/proxy tmp/fastcgi tmp/uwsgi tmp/scgi)
# Written by root: nginx's logs, service.out, pid files, secrets.
LAYOUT_ROOT_DIRS=(log tmp pids secrets)

# layout_make <dir> <service user>: creates the folders (an existing
# instance keeps its contents) and sets owner and mode of each folder
# itself, never following a link and never recursively.
layout_make() {
	local dir=$1 svc=$2 d
	mkdir -p "$dir"
	if [ "$(id -u)" -ne 0 ]; then
		for d in "${LAYOUT_ROOT_DIRS[@]}" "${LAYOUT_SERVICE_DIRS[@]}"; do
			mkdir -p "$dir/$d"
		done
		chmod 700 "$dir/secrets" "$dir/pg"
		return 0
	fi
	# Root takes the instance folder first: from then on the service user
	# cannot add or replace anything directly in it.
	chown -h root:root "$dir"
	chmod 755 "$dir"
	for d in "${LAYOUT_ROOT_DIRS[@]}"; do
		layout_own_dir "$dir/$d" root root 755
	done
	chgrp -h "$svc" "$dir/secrets"
	chmod 750 "$dir/secrets"
	for d in "${LAYOUT_SERVICE_DIRS[@]}"; do
		case $d in
		pg | tmp/*) layout_own_dir "$dir/$d" "$svc" "$svc" 700 ;;
		*) layout_own_dir "$dir/$d" "$svc" "$svc" 755 ;;
		esac
	done
}

# layout_own_dir <path> <user> <group> <mode>: <path> becomes a folder of
# that owner and mode; a link or a file in its place (left by an older
# layout in which the service user owned the parent) is removed, not
# followed.  The parent must already be root's.
layout_own_dir() {
	local path=$1
	if [ -L "$path" ] || { [ -e "$path" ] && [ ! -d "$path" ]; }; then
		rm -f "$path"
	fi
	mkdir -p "$path"
	chown -h "$2:$3" "$path"
	chmod "$4" "$path"
}
