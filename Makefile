# Build, run and test the training platform.  See README.md.
#
#   make            build the release flavour (build/release)
#   make run        set up and start the development stack on 127.0.0.1:8080
#   make stop       stop everything `make run` or `make test` started
#   make test       unit, integration and browser tests against a fresh test stack
#   make check      the fast tier: build, unit tests, content check, formatting
#   make test-unit T=router        make test-integration T='test_jwt_*'
#   make bench      baselines, the national dataset and the speed targets
#   make fuzz       every libFuzzer target for FUZZ_SECONDS (default 300)
#   make valgrind   the integration suite against the service under valgrind,
#                   then a leak check of every one of its processes
#   make install    the release build into DESTDIR (the Debian package's layout)
#   make deb        the Debian package, in build/deb/ (docs/install.md)
#   make test-install  builds and installs the package on this machine, then
#                   proves install, admin, backup, restore and upgrade

FLAVOR  ?= release
B       := build/$(FLAVOR)
CC      ?= gcc

PKGS    := fcgi libpq jansson libjwt libsodium libcmark libqrencode libmagic
TPKGS   := cmocka libcurl

WARN    := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wpointer-arith -Wformat=2 -fno-common \
           -fstack-protector-strong
CPPFLAGS := -D_GNU_SOURCE -Ibackend/src $(shell pkg-config --cflags $(PKGS))
ifeq ($(FLAVOR),asan)
OPT     := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
           -fno-omit-frame-pointer
LDOPT   := -fsanitize=address,undefined
else
OPT     := -O2 -g -D_FORTIFY_SOURCE=2 -fPIE
LDOPT   := -pie -Wl,-z,relro,-z,now
endif
CFLAGS  := $(WARN) $(OPT) -MMD -MP
LDLIBS  := $(shell pkg-config --libs $(PKGS)) -lhpdf -lcsv -lm
TLDLIBS := $(shell pkg-config --libs $(TPKGS))

APP_SRC := $(filter-out backend/src/main.c, \
           $(wildcard backend/src/*.c backend/src/handlers/*.c backend/src/store/*.c))
APP_OBJ := $(APP_SRC:%.c=$(B)/obj/%.o)
TOOLS   := $(patsubst backend/tools/%.c,$(B)/hgkm-%,$(wildcard backend/tools/*.c))
UNIT    := $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))
ITEST_SRC := $(wildcard tests/integration/*.c)

.PHONY: all run stop check test test-unit test-integration test-browser test-content \
        bench fuzz fuzz-ci valgrind format format-check lint clean deps \
        install deb test-install
all: $(B)/hgkm-fcgi $(TOOLS)

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/libapp.a: $(APP_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/hgkm-fcgi: $(B)/obj/backend/src/main.o $(B)/libapp.a
	$(CC) $(LDOPT) -o $@ $^ $(LDLIBS)

$(B)/hgkm-%: $(B)/obj/backend/tools/%.o $(B)/libapp.a
	$(CC) $(LDOPT) -o $@ $^ $(LDLIBS)

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(B)/obj/tests/unit/unit_filter.o $(B)/libapp.a
	@mkdir -p $(dir $@)
	$(CC) $(LDOPT) -o $@ $^ $(LDLIBS) $(TLDLIBS)

# The suppression property test solves integer programs (GLPK).
$(B)/tests/test_suppress: TLDLIBS += -lglpk

$(B)/tests/integration: $(ITEST_SRC:%.c=$(B)/obj/%.o) $(B)/libapp.a
	@mkdir -p $(dir $@)
	$(CC) $(LDOPT) -o $@ $^ $(LDLIBS) $(TLDLIBS)

# Debian keeps nginx, useradd and friends in /usr/sbin, which is not on a
# normal user's PATH: a sudoer's `make run` needs them too.
export PATH := $(PATH):/usr/sbin:/sbin

# Targets that start or stop a stack.  As root in a folder the service user
# cannot reach (root's home folder), they run in a copy of the checkout
# (deploy/dev/mirror.sh); everywhere else, here.
STACK_TARGETS := run stop test test-integration test-browser bench valgrind
MIRROR := $(shell deploy/dev/mirror.sh path)

ifneq ($(MIRROR),)
$(STACK_TARGETS): deps
	@deploy/dev/mirror.sh sync
	@$(MAKE) --no-print-directory -C $(MIRROR) $@
else
# The dev stack runs the release build; tests run the sanitizer build.
run: deps
	$(MAKE) FLAVOR=release all
	deploy/dev/stack.sh up run

stop:
	deploy/dev/stack.sh down run
	deploy/dev/stack.sh down test
	deploy/dev/stack.sh down bench
	deploy/dev/stack.sh down check

test: deps
	tests/run-all.sh

# T selects tests by name (glob), e.g. T='test_jwt_*'; starts its own test
# stack unless one is up, and stops what it started.
test-integration: deps
	$(MAKE) -s FLAVOR=asan all build/asan/tests/integration
	tests/run-integration.sh --own-stack $(T)

test-browser:
	tests/run-browser.sh

# Speed against baselines measured in the same run (docs/capacity.md).
bench:
	@deploy/dev/deps.sh check-bench
	bench/run.sh

# Its own stack instance (var/check, 127.0.0.1:8085); VALGRIND_TESTS picks
# integration tests by name (default: all).
valgrind: deps
	tests/valgrind/run.sh $(VALGRIND_TESTS)
endif

deps:
	@deploy/dev/deps.sh check

# The fast tier, no servers: build, unit tests, content check, formatting.
check: deps
	@tests/run-check.sh

# T picks unit binaries and, after a colon, tests in them by name (globs):
# T=router, T='content:test_slug*'.
test-unit:
	$(MAKE) -s FLAVOR=asan $(patsubst build/$(FLAVOR)/%,build/asan/%,$(UNIT))
	tests/run-unit.sh build/asan $(T)

test-content: $(B)/hgkm-content
	$(B)/hgkm-content check content

# libFuzzer targets under ASan/UBSan, FUZZ_SECONDS each (tests/fuzz/).
FUZZ_SECONDS ?= 300
fuzz:
	tests/fuzz/run.sh $(FUZZ_SECONDS)

# Short run for CI and make test: seeds and regressions, then 10 s a target.
fuzz-ci:
	tests/fuzz/run.sh 10

# The installed layout (docs/install.md); deploy/debian/ packages it.
PREFIX  ?= /usr
DESTDIR ?=
SHARE   := $(DESTDIR)$(PREFIX)/share/hgkm
install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/lib/hgkm $(SHARE)/deploy \
		$(DESTDIR)/etc/nginx/hgkm $(DESTDIR)/etc/nginx/sites-available \
		$(DESTDIR)/etc/logrotate.d $(DESTDIR)/lib/systemd/system
	install -m 0755 $(B)/hgkm-fcgi deploy/hgkm-admin $(DESTDIR)$(PREFIX)/sbin/
	install -m 0755 $(TOOLS) $(DESTDIR)$(PREFIX)/lib/hgkm/
	rm -rf $(SHARE)/frontend $(SHARE)/content $(SHARE)/sql
	cp -R --no-preserve=mode,ownership frontend content sql $(SHARE)/
	chmod -R u=rwX,go=rX $(SHARE)
	install -m 0755 deploy/migrate.sh deploy/backup.sh deploy/restore.sh $(SHARE)/deploy/
	install -m 0644 deploy/systemd/hgkm.env.example $(SHARE)/
	install -m 0644 deploy/fastcgi-api.conf deploy/api-errors.conf $(DESTDIR)/etc/nginx/hgkm/
	install -m 0644 deploy/production/nginx.conf $(DESTDIR)/etc/nginx/sites-available/hgkm
	install -m 0644 deploy/logrotate $(DESTDIR)/etc/logrotate.d/hgkm
	install -m 0644 deploy/systemd/hgkm.service $(DESTDIR)/lib/systemd/system/

# The package is built from a staged copy of the committed files only: the
# checkout's build/ and var/, and a stray untracked file under frontend/
# (which nginx would serve), stay out of it.  DEB_VERSION: 0.<commits>.
DEB_VERSION ?= 0.$(shell git rev-list --count HEAD 2>/dev/null || echo 0)
DEB_STAGE   := build/deb/hgkm-$(DEB_VERSION)
deb:
	@deploy/dev/deps.sh check-deb
	rm -rf $(DEB_STAGE) && mkdir -p $(DEB_STAGE)
	git ls-files -z --cached -- backend frontend content sql deploy docs Makefile README.md | \
		xargs -0 cp --parents -t $(DEB_STAGE)
	cp -R deploy/debian $(DEB_STAGE)/debian
	deploy/debian/changelog.sh $(DEB_VERSION) >$(DEB_STAGE)/debian/changelog
	cd $(DEB_STAGE) && dpkg-buildpackage -b -us -uc $(if $(filter 0,$(shell id -u)),,-rfakeroot) >../build.log 2>&1 || \
		{ tail -n 40 ../build.log; exit 1; }
	@ls build/deb/hgkm_$(DEB_VERSION)_*.deb

test-install: deps
	tests/install/install.sh

format:
	clang-format -i $(wildcard backend/src/*.[ch] backend/src/*/*.[ch] backend/tools/*.c tests/unit/*.c tests/integration/*.[ch])

format-check:
	clang-format --dry-run --Werror $(wildcard backend/src/*.[ch] backend/src/*/*.[ch] backend/tools/*.c tests/unit/*.c tests/integration/*.[ch])

clean:
	rm -rf build

-include $(shell find build -path build/deb -prune -o -type f -name '*.d' -print 2>/dev/null)
