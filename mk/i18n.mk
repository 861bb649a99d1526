# i18n: the German (and any further) translation of the report and charts (GNU gettext).
#
# po/netreach.pot is extracted from the sources by xgettext (`make pot`);
# po/LANG.po holds a language's translations (`make po-update` merges new
# texts in); msgfmt compiles each into build/share/netreach/locale/LANG/
# LC_MESSAGES/netreach.mo, where the binary finds it beside its other data
# (and `make install` copies it with them).

LINGUAS := de
MO_FILES := $(patsubst %,$(DATA)/locale/%/LC_MESSAGES/netreach.mo,$(LINGUAS))
# Country and admin-1 names (datasets/names/LANG.tsv, scripts/build-names) as the
# text domain netreach-names: msgid the code ("DE", "DE-07"), msgstr the name.
# A generated table, not a translator's file: no header check (it only warned).
NAMES_MO := $(patsubst %,$(DATA)/locale/%/LC_MESSAGES/netreach-names.mo,$(LINGUAS) en)
XGETTEXT_FLAGS := --language=C --from-code=UTF-8 --add-comments=TRANSLATORS: \
	--keyword=_ --keyword=N_ --keyword=P_:1c,2 --keyword=NP_:1c,2 --keyword=ngettext:1,2 \
	--package-name=netreach --package-version=$(VERSION) --sort-by-file --no-wrap
I18N_SRC := $(sort $(wildcard analyzer/*.c analyzer/*.h))

.PHONY: pot po-update po-check

data: $(MO_FILES) $(NAMES_MO)

$(DATA)/locale/%/LC_MESSAGES/netreach.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@.tmp $< && mv $@.tmp $@

# datasets/names/LANG-dative.tsv (by hand, optional): the names that take an article, in the
# dative with it ("der Schweiz"; English: "the United States"), under the context "dative"
# (i18n_area_dative). English has no LANG.tsv (its names are the gazetteer's): its catalogue is
# the article table alone.
NAMES_PO = awk -F '\t' 'BEGIN { print "msgid \"\""; print "msgstr \"Content-Type: text/plain; charset=UTF-8\\n\""; } \
		/^\#/ || NF < 4 { next } \
		{ k = $$1; v = $$4; gsub(/[\\"]/, "\\\\&", k); gsub(/[\\"]/, "\\\\&", v); \
		  printf "\n%smsgid \"%s\"\nmsgstr \"%s\"\n", FILENAME ~ /-dative\.tsv$$/ ? "msgctxt \"dative\"\n" : "", k, v }'
NAMES_MSGFMT = msgfmt --check-format --check-domain -o $@.tmp $@.po && rm $@.po && mv $@.tmp $@

$(DATA)/locale/%/LC_MESSAGES/netreach-names.mo: datasets/names/%.tsv $(wildcard datasets/names/*-dative.tsv)
	@mkdir -p $(dir $@)
	$(NAMES_PO) $< $(wildcard datasets/names/$*-dative.tsv) >$@.po
	$(NAMES_MSGFMT)

$(DATA)/locale/en/LC_MESSAGES/netreach-names.mo: datasets/names/en-dative.tsv
	@mkdir -p $(dir $@)
	$(NAMES_PO) $< >$@.po
	$(NAMES_MSGFMT)

pot:
	xgettext $(XGETTEXT_FLAGS) -o po/netreach.pot $(I18N_SRC)

po-update: pot
	for l in $(LINGUAS); do msgmerge --quiet --update --backup=none --no-wrap --no-fuzzy-matching po/$$l.po po/netreach.pot; done

# Fails when po/netreach.pot is not the texts of the sources, or when a
# language lacks a translation (untranslated or fuzzy) of one of them.
po-check:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	xgettext $(XGETTEXT_FLAGS) -o $$tmp/src.pot $(I18N_SRC) && \
	msgcat --no-location --sort-output --no-wrap po/netreach.pot | sed '1,/^$$/d' >$$tmp/have && \
	msgcat --no-location --sort-output --no-wrap $$tmp/src.pot | sed '1,/^$$/d' >$$tmp/want && \
	if ! cmp -s $$tmp/want $$tmp/have; then \
		echo "po-check: po/netreach.pot is not the texts of the sources; run 'make po-update'" >&2; \
		diff -u $$tmp/have $$tmp/want | head -20 >&2; exit 1; fi; \
	for l in $(LINGUAS); do \
		msgmerge --quiet --no-fuzzy-matching -o $$tmp/$$l.po po/$$l.po po/netreach.pot && \
		stats=$$(LC_ALL=C msgfmt --check --statistics -o /dev/null $$tmp/$$l.po 2>&1) && \
		case $$stats in *untranslated*|*fuzzy*) echo "po-check: po/$$l.po: $$stats" >&2; exit 1;; esac; \
		echo "po-check: $$l: $$stats"; \
	done
