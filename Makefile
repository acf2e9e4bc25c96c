# hull — an OCI container runtime.  `make`, `make check`, `make demo`; see README.md.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

CC ?= cc
PKGS := yajl libseccomp libcap libmnl
VERSION := 0.1.0
COMMIT := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

CFLAGS ?= -O2 -g
HULL_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -fno-common \
          -DHULL_VERSION='"$(VERSION)"' -DHULL_COMMIT='"$(COMMIT)"' \
          $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS += $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lyajl -lseccomp -lcap -lmnl)

B := build
LIB_SRCS := $(wildcard base/*.c oci/*.c cgroups/*.c namespaces/*.c network/*.c security/*.c libcontainer/*.c)
CMD_SRCS := $(wildcard cmd/*.c)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/obj/%.o)
CMD_OBJS := $(CMD_SRCS:%.c=$(B)/obj/%.o)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)

.PHONY: all install deps demo check check-unit check-integration check-cgroup2 check-e2e check-asan bench clean format

all: hull

hull: $(B)/hull
	@ln -sf $(B)/hull hull

$(B)/hull: $(CMD_OBJS) $(B)/libhull.a
	$(CC) $(LDFLAGS) -o $@ $(CMD_OBJS) $(B)/libhull.a $(LDLIBS)

$(B)/libhull.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(HULL_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/tests/%: tests/unit/%.c tests/unit/tap.h $(B)/libhull.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(HULL_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libhull.a $(LDLIBS)

-include $(LIB_OBJS:.o=.d) $(CMD_OBJS:.o=.d)

install: all
	install -D -m 0755 $(B)/hull $(DESTDIR)$(BINDIR)/hull
	for m in man/*.[0-9]; do install -D -m 0644 $$m $(DESTDIR)$(MANDIR)/man$${m##*.}/$$(basename $$m); done

# Debian packages the build, the demo and the tests need (idempotent; a no-op when present).
deps:
	@tests/deps.sh

demo: deps all
	@tests/demo.sh

unit: $(UNIT_BINS)

check: deps all unit
	@tests/run.sh

check-unit: all unit
	@tests/run.sh --unit

check-integration: all
	@tests/run.sh --integration

check-cgroup2: deps all
	@tests/cgroup2/run-vm.sh

# podman, containerd and docker from Debian driving hull, and runc (tests/e2e/run.sh)
check-e2e: deps all
	@tests/e2e/run.sh

check-asan:
	$(MAKE) B=build-asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" LDFLAGS="-fsanitize=address,undefined" build-asan/hull unit-asan
	@HULL_UNIT_DIR=build-asan/tests tests/run.sh --unit

unit-asan: $(UNIT_BINS)

bench: deps all
	@tests/bench/bench.sh

format:
	clang-format -i $(LIB_SRCS) $(CMD_SRCS) $(UNIT_SRCS) $(wildcard */*.h tests/unit/*.h)

clean:
	rm -rf build build-asan hull
