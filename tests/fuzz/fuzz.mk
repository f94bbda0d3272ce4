# libFuzzer targets for the parsers of outside input (tests/fuzz/run.sh).
#
# Everything is built with clang under ASan and UBSan into build/fuzz/: the
# backend sources are compiled again here, since build/*/libapp.a is gcc's.
# Each target links its module, the small pure modules every parser may
# lean on (COMMON), and all the libraries, so that a module which starts to
# use another one still links.  The router target links the whole
# application because routes.c names every handler.
#
#   make -f tests/fuzz/fuzz.mk -j2          build every target
#   make -f tests/fuzz/fuzz.mk build/fuzz/fuzz_json

CC      := clang
B       := build/fuzz
PKGS    := fcgi libpq jansson libjwt libsodium libcmark libqrencode libmagic

FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
              -fno-omit-frame-pointer -g -O1
CPPFLAGS := -D_GNU_SOURCE -Ibackend/src $(shell pkg-config --cflags $(PKGS))
CFLAGS   := -std=c11 -Wall -Wextra $(FUZZ_FLAGS) -MMD -MP
LDLIBS   := $(shell pkg-config --libs $(PKGS)) -lhpdf -lcsv -lm

# Targets and the module (its files) each exercises (router: see above).
TARGETS := http router json auth roster duo scenario content quiz certpdf
MODULE_http     := http
MODULE_json     := json
MODULE_auth     := auth
MODULE_roster   := roster
MODULE_duo      := duo
MODULE_scenario := scenario_parse scenario_check scenario_play
MODULE_content  := content_parse content_check content_render
MODULE_quiz     := quiz
MODULE_certpdf  := certpdf

COMMON  := $(wildcard $(addprefix backend/src/,arena.c csvin.c domain.c \
                                    errlist.c json.c log.c validate.c))
APP_SRC := $(filter-out backend/src/main.c, \
           $(wildcard backend/src/*.c backend/src/handlers/*.c \
                      backend/src/store/*.c))

obj = $(patsubst %.c,$(B)/obj/%.o,$(1))
srcs_of = $(if $(filter router,$(1)),$(APP_SRC), \
            $(sort $(COMMON) $(patsubst %,backend/src/%.c,$(MODULE_$(1)))))

BINS := $(addprefix $(B)/fuzz_,$(TARGETS))

.PHONY: all
all: $(BINS)

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Objects are kept: make would otherwise delete them as intermediates.
.SECONDARY:

.SECONDEXPANSION:
$(B)/fuzz_%: $(B)/obj/tests/fuzz/fuzz_%.o $$(call obj,$$(call srcs_of,$$*))
	$(CC) $(FUZZ_FLAGS) -o $@ $^ $(LDLIBS)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
