# make install / make uninstall, with PREFIX, DESTDIR and the directories
# below. The Debian package installs through these too (debian/rules).
PREFIX        ?= /usr/local
BINDIR        ?= $(PREFIX)/bin
DATADIR       ?= $(PREFIX)/share
DOCDIR        ?= $(DATADIR)/doc/kentongan
MANDIR        ?= $(DATADIR)/man
SYSCONFDIR    ?= /etc
LOCALSTATEDIR ?= /var
# systemd reads /usr/local/lib/systemd/system as well as /usr/lib/...;
# the package says /lib/systemd/system, where Debian 12 keeps units.
UNITDIR       ?= $(PREFIX)/lib/systemd/system

CONFDIR   = $(SYSCONFDIR)/kentongan
STATEDIR  = $(LOCALSTATEDIR)/lib/kentongan
VILLAGEDIR = $(DATADIR)/kentongan/villages
# the list is MIT-licensed: its licence goes with it
VILLAGES  = data/villages/wilayah-desa.csv.gz data/villages/LICENSE
DOCS      = $(wildcard docs/*.md)
DOC_IMGS  = $(wildcard docs/img/*)

# The unit and the config are written afresh each time: PREFIX and the
# directories may differ from one install to the next. The production
# config names the state folder; another LOCALSTATEDIR moves the database
# with it. The unit's comments name the placeholders and keep them. The
# README keeps its links: docs/ goes beside it.
install: $(BINST)/kentongan
	@mkdir -p $(B)
	sed -e '/^#/!{ s|@BINDIR@|$(BINDIR)|g; s|@SYSCONFDIR@|$(SYSCONFDIR)|g;' \
	    -e 's|@DOCDIR@|$(DOCDIR)|g; }' config/kentongan.service.in \
	    > $(B)/kentongan.service
	sed -e 's|/var/lib/kentongan|$(STATEDIR)|g' config/production.ini \
	    > $(B)/kentongan.ini
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) \
	    $(DESTDIR)$(CONFDIR) $(DESTDIR)$(DOCDIR)/docs/img \
	    $(DESTDIR)$(VILLAGEDIR) $(DESTDIR)$(MANDIR)/man1
	install -d -m 0750 $(DESTDIR)$(STATEDIR)
	install -m 0755 $(BINST)/kentongan $(DESTDIR)$(BINDIR)/kentongan
	install -m 0644 $(B)/kentongan.service $(DESTDIR)$(UNITDIR)/kentongan.service
	install -m 0644 man/kentongan.1 $(DESTDIR)$(MANDIR)/man1/kentongan.1
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md
	install -m 0644 $(DOCS) $(DESTDIR)$(DOCDIR)/docs
	install -m 0644 $(DOC_IMGS) $(DESTDIR)$(DOCDIR)/docs/img
	install -m 0644 $(VILLAGES) $(DESTDIR)$(VILLAGEDIR)
	@# the admin's config is theirs: this version's goes beside it
	@if [ -e $(DESTDIR)$(CONFDIR)/kentongan.ini ]; then \
		echo "install -m 0644 $(B)/kentongan.ini $(DESTDIR)$(CONFDIR)/kentongan.ini.example"; \
		install -m 0644 $(B)/kentongan.ini $(DESTDIR)$(CONFDIR)/kentongan.ini.example; \
		echo "kept $(DESTDIR)$(CONFDIR)/kentongan.ini: this version's is kentongan.ini.example beside it"; \
	else \
		echo "install -m 0644 $(B)/kentongan.ini $(DESTDIR)$(CONFDIR)/kentongan.ini"; \
		install -m 0644 $(B)/kentongan.ini $(DESTDIR)$(CONFDIR)/kentongan.ini; \
	fi

# Never the config nor the state folder: they hold the office's work.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/kentongan \
	    $(DESTDIR)$(UNITDIR)/kentongan.service \
	    $(DESTDIR)$(MANDIR)/man1/kentongan.1 \
	    $(DESTDIR)$(CONFDIR)/kentongan.ini.example \
	    $(DESTDIR)$(DOCDIR)/README.md \
	    $(addprefix $(DESTDIR)$(DOCDIR)/,$(DOCS) $(DOC_IMGS)) \
	    $(addprefix $(DESTDIR)$(VILLAGEDIR)/,$(notdir $(VILLAGES)))
	@for d in $(DESTDIR)$(DOCDIR)/docs/img $(DESTDIR)$(DOCDIR)/docs \
	    $(DESTDIR)$(DOCDIR) $(DESTDIR)$(VILLAGEDIR) \
	    $(DESTDIR)$(DATADIR)/kentongan; do rmdir $$d 2>/dev/null || true; done
	@echo "kept $(DESTDIR)$(CONFDIR)/kentongan.ini and $(DESTDIR)$(STATEDIR) (the database)"

.PHONY: install uninstall
