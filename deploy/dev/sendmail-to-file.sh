#!/bin/sh
# Development stand-in for sendmail: stores each mail read on stdin as a
# file in the directory given, so that nothing leaves the machine.
#   sendmail-to-file.sh <directory>
set -eu
dir=${1:?usage: sendmail-to-file.sh <directory>}
name=$(date +%Y%m%d-%H%M%S)-$$.eml
cat >"$dir/.$name.tmp"
mv "$dir/.$name.tmp" "$dir/$name"
