# ml-connector: build and install. POSIX make.
#   make                                  release build, Swift runtime linked in statically
#   make install [PREFIX=...] [DESTDIR=...] [BIN=...]
#   make uninstall [PREFIX=...] [DESTDIR=...]
# install copies what BIN holds (default: the release build) and never builds, so a build
# from elsewhere (BIN=.build/debug) installs as is. Text files are installed with
# /usr/local/ replaced by $(PREFIX)/, so their paths name where the programs went.

PREFIX = /usr/local
DESTDIR =
BIN = .build/release
SWIFT = swift

PROGRAMS = shipbob-to-syspro poll-syspro-inventory push-shipbob-inventory inventory-variance \
	syspro-to-hubspot hubspot-to-syspro po-alerts-twilio ml-connector ml-sandbox
SHARE = $(DESTDIR)$(PREFIX)/share/ml-connector

all:
	$(SWIFT) build -c release --static-swift-stdlib

install:
	@for p in $(PROGRAMS) webhook-cgi; do \
	  [ -x "$(BIN)/$$p" ] || { echo "make install: $(BIN)/$$p is missing: run make first, or name the build with BIN=" >&2; exit 1; }; \
	done
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/ml-connector \
	  $(SHARE)/systemd $(SHARE)/kubernetes $(SHARE)/nomad
	for p in $(PROGRAMS); do cp "$(BIN)/$$p" $(DESTDIR)$(PREFIX)/bin/ && chmod 755 $(DESTDIR)$(PREFIX)/bin/$$p || exit 1; done
	cp bin/ml-cron $(DESTDIR)$(PREFIX)/bin/ && chmod 755 $(DESTDIR)$(PREFIX)/bin/ml-cron
	cp $(BIN)/webhook-cgi $(DESTDIR)$(PREFIX)/lib/ml-connector/ && chmod 755 $(DESTDIR)$(PREFIX)/lib/ml-connector/webhook-cgi
	sed 's|/usr/local/|$(PREFIX)/|g' crontab > $(SHARE)/crontab
	sed 's|/usr/local/|$(PREFIX)/|g' etc/nginx-webhooks.conf > $(SHARE)/nginx-webhooks.conf
	for f in contrib/systemd/* contrib/kubernetes/* contrib/nomad/*; do \
	  sed 's|/usr/local/|$(PREFIX)/|g' "$$f" > "$(SHARE)/$${f#contrib/}" || exit 1; \
	done
	chmod 644 $(SHARE)/crontab $(SHARE)/nginx-webhooks.conf $(SHARE)/*/*
	chmod 755 $(SHARE)/nomad/submit

uninstall:
	for p in $(PROGRAMS) ml-cron; do rm -f $(DESTDIR)$(PREFIX)/bin/$$p; done
	rm -rf $(DESTDIR)$(PREFIX)/lib/ml-connector $(SHARE)

.PHONY: all install uninstall
