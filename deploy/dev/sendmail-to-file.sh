#!/bin/sh
# Development stand-in for sendmail: stores each mail read on stdin as a
# file in the directory given, so that nothing leaves the machine.
#   sendmail-to-file.sh <directory>
# While <directory>/.fail exists it refuses every mail with EX_TEMPFAIL, as
# a real sendmail does when its queue is unusable: the fault tests use it to
# show that the outbox retries and loses nothing.
set -eu
dir=${1:?usage: sendmail-to-file.sh <directory>}
if [ -e "$dir/.fail" ]; then
	cat >/dev/null
	echo "sendmail-to-file.sh: $dir/.fail exists: mail refused" >&2
	exit 75
fi
name=$(date +%Y%m%d-%H%M%S)-$$.eml
cat >"$dir/.$name.tmp"
mv "$dir/.$name.tmp" "$dir/$name"
