/* Unit tests for duo.c: encodings, header aliases, every check, real file. */

/*
 * Small inline files in two tables: good_cases (what comes out) and
 * bad_cases (which errors, on which lines, and that no row comes out).  The
 * real register is read from $DUO_FILE, by default
 * tests/data/duo/02.-alle-schoolvestigingen-basisonderwijs.csv, so run from
 * the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duo.h"

/* A string literal and its length, for inputs with NUL bytes. */
#define BYTES(s) s, sizeof(s) - 1

/* A header with every column we read, in DUO's order, plus one we skip. */
#define H                                                                      \
	"PROVINCIE;BEVOEGD GEZAG NUMMER;VESTIGINGSCODE;VESTIGINGSNAAM;"        \
	"PLAATSNAAM;GEMEENTENUMMER;GEMEENTENAAM;DENOMINATIE;RMC-REGIO CODE;"   \
	"RMC-REGIO NAAM\r\n"
#define R1                                                                     \
	"Drenthe;20091;32JK00;BBS de Verwondering;ALTEVEER;1699;NOORDENVELD;"  \
	"Algemeen bijzonder;07;Noord- en Midden Drenthe\r\n"
#define R2                                                                     \
	"Utrecht;41886;18HI00;Basisschool Kla4;LEUSDEN;0327;LEUSDEN;"          \
	"Rooms-Katholiek;17;Eemland\r\n"
#define R3                                                                     \
	"Utrecht;41886;18HI01;Dependance Kla4;LEUSDEN;0327;LEUSDEN;"           \
	"Rooms-Katholiek;17;Eemland\r\n"

#define DEFAULT_DUO_FILE                                                       \
	"tests/data/duo/02.-alle-schoolvestigingen-basisonderwijs.csv"

struct want_row {
	unsigned    line;
	const char *brin, *board, *name, *muni, *muni_code, *place, *rmc_code,
	    *rmc_name, *province;
};

struct good_case {
	const char       *what;
	const char       *input;
	size_t            len; /* 0: strlen(input) */
	enum duo_encoding encoding;
	size_t            n_rows;
	size_t            check; /* index of the row compared with `row` */
	struct want_row   row;
};

#define ROW1                                                                   \
	{                                                                      \
		2, "32JK00", "20091", "BBS de Verwondering", "NOORDENVELD",    \
		    "1699", "ALTEVEER", "07", "Noord- en Midden Drenthe",      \
		    "Drenthe"                                                  \
	}

static const struct good_case good_cases[] = {
    {"CRLF", H R1 R2, 0, DUO_ENCODING_UTF8, 2, 0, ROW1},
    {"second row",
     H R1 R2,
     0,
     DUO_ENCODING_UTF8,
     2,
     1,
     {3, "18HI00", "41886", "Basisschool Kla4", "LEUSDEN", "0327", "LEUSDEN",
      "17", "Eemland", "Utrecht"}},
    {"LF only, no final newline",
     "PROVINCIE;BEVOEGD GEZAG NUMMER;VESTIGINGSCODE;VESTIGINGSNAAM;"
     "PLAATSNAAM;GEMEENTENUMMER;GEMEENTENAAM;DENOMINATIE;RMC-REGIO CODE;"
     "RMC-REGIO NAAM\n"
     "Drenthe;20091;32JK00;BBS de Verwondering;ALTEVEER;1699;NOORDENVELD;"
     "Algemeen bijzonder;07;Noord- en Midden Drenthe",
     0, DUO_ENCODING_UTF8, 1, 0, ROW1},
    {"lone CR line ends (old Mac exports) count as lines",
     "VESTIGINGSCODE;BEVOEGD GEZAG NUMMER;VESTIGINGSNAAM;GEMEENTENUMMER;"
     "GEMEENTENAAM;DENOMINATIE\r32JK00;20091;A;1699;NOORDENVELD;x\r\r"
     "18HI00;41886;B;0327;LEUSDEN;\"x\ry\"\r32JK01;20091;D;1699;"
     "NOORDENVELD;x\r",
     0,
     DUO_ENCODING_UTF8,
     3,
     2,
     {6, "32JK01", "20091", "D", "NOORDENVELD", "1699", "", "", "", ""}},
    {"trailing empty lines", H R1 "\r\n\r\n", 0, DUO_ENCODING_UTF8, 1, 0, ROW1},
    {"blank lines and an all-empty record are skipped, lines counted",
     H "\r\n;;;;;;;;;\r\n" R1,
     0,
     DUO_ENCODING_UTF8,
     1,
     0,
     {4, "32JK00", "20091", "BBS de Verwondering", "NOORDENVELD", "1699",
      "ALTEVEER", "07", "Noord- en Midden Drenthe", "Drenthe"}},
    {"quoted field with ;, \"\" and a line break moves later lines",
     H "Friesland;41385;04NA00;\"Basisschool \"\"de Fluessen\"\"; "
       "Oudega\";OUDEGA;1940;DE FRYSKE MARREN;\"Protestants-\r\n"
       "Christelijk\";10;Friesland\r\n" R1,
     0,
     DUO_ENCODING_UTF8,
     2,
     1,
     {4, "32JK00", "20091", "BBS de Verwondering", "NOORDENVELD", "1699",
      "ALTEVEER", "07", "Noord- en Midden Drenthe", "Drenthe"}},
    {"quoted name kept whole",
     H "Friesland;41385;04NA00;\"Basisschool \"\"de Fluessen\"\"; "
       "Oudega\";OUDEGA;1940;DE FRYSKE MARREN;x;10;Friesland\r\n",
     0,
     DUO_ENCODING_UTF8,
     1,
     0,
     {2, "04NA00", "41385", "Basisschool \"de Fluessen\"; Oudega",
      "DE FRYSKE MARREN", "1940", "OUDEGA", "10", "Friesland", "Friesland"}},
    {"UTF-8 without BOM",
     H "Friesland;53150;09DN00;Openbare Basisschool \xe2\x80\x98t "
       "Ienster;BALLUM;0060;AMELAND;Openbaar;04;Frysl\xc3\xa2n\r\n",
     0,
     DUO_ENCODING_UTF8,
     1,
     0,
     {2, "09DN00", "53150", "Openbare Basisschool \xe2\x80\x98t Ienster",
      "AMELAND", "0060", "BALLUM", "04", "Frysl\xc3\xa2n", "Friesland"}},
    {"UTF-8 with BOM",
     "\xef\xbb\xbf" H "Friesland;53150;09DN00;Caf\xc3\xa9 "
     "school;BALLUM;0060;AMELAND;Openbaar;04;Fryslan\r\n",
     0,
     DUO_ENCODING_UTF8_BOM,
     1,
     0,
     {2, "09DN00", "53150", "Caf\xc3\xa9 school", "AMELAND", "0060", "BALLUM",
      "04", "Fryslan", "Friesland"}},
    {"Windows-1252: 0x92, 0x80, 0xE9, 0xE2 become UTF-8",
     H "Friesland;53150;09DN00;\x92t Kompas \x80 \xe9\xe9n;BALLUM;0060;"
       "AMELAND;Openbaar;04;Frysl\xe2n\r\n",
     0,
     DUO_ENCODING_CP1252,
     1,
     0,
     {2, "09DN00", "53150",
      "\xe2\x80\x99t Kompas \xe2\x82\xac \xc3\xa9\xc3\xa9n", "AMELAND", "0060",
      "BALLUM", "04", "Frysl\xc3\xa2n", "Friesland"}},
    {"Windows-1252: 0x8A, 0x9F and 0xFF",
     H "Friesland;53150;09DN00;\x8a\x9f\xff;BALLUM;0060;AMELAND;x;04;F\r\n",
     0,
     DUO_ENCODING_CP1252,
     1,
     0,
     {2, "09DN00", "53150", "\xc5\xa0\xc5\xb8\xc3\xbf", "AMELAND", "0060",
      "BALLUM", "04", "F", "Friesland"}},
    {"comma when the header has no ';'",
     "VESTIGINGSCODE,BEVOEGD GEZAG NUMMER,VESTIGINGSNAAM,GEMEENTENUMMER,"
     "GEMEENTENAAM\n32JK00,20091,\"BBS, de Verwondering\",1699,"
     "NOORDENVELD\n",
     0,
     DUO_ENCODING_UTF8,
     1,
     0,
     {2, "32JK00", "20091", "BBS, de Verwondering", "NOORDENVELD", "1699", "",
      "", "", ""}},
    {"header names: any case, spaces, any order; missing optional = \"\"",
     " gemeentenaam ;Vestigingsnaam;Gemeentenummer;  bevoegd  gezag "
     "nummer;vestigingscode\r\nNOORDENVELD;BBS de Verwondering;1699;"
     "20091;32jk00\r\n",
     0,
     DUO_ENCODING_UTF8,
     1,
     0,
     {2, "32JK00", "20091", "BBS de Verwondering", "NOORDENVELD", "1699", "",
      "", "", ""}},
    {"older names: BRIN NUMMER + VESTIGINGSNUMMER, NAAM VESTIGING",
     "BRIN NUMMER;VESTIGINGSNUMMER;BEVOEGD GEZAG NUMMER;NAAM VESTIGING;"
     "GEMEENTENUMMER;GEMEENTENAAM;RMC_REGIO_CODE\r\n"
     "32JK;0;20091;BBS de Verwondering;1699;NOORDENVELD;07\r\n"
     "32JK;01;20091;BBS de Verwondering 2;1699;NOORDENVELD;07\r\n"
     "32JK;32JK02;20091;BBS de Verwondering 3;1699;NOORDENVELD;07\r\n",
     0,
     DUO_ENCODING_UTF8,
     3,
     0,
     {2, "32JK00", "20091", "BBS de Verwondering", "NOORDENVELD", "1699", "",
      "07", "", ""}},
    {"older names: two-digit VESTIGINGSNUMMER",
     "BRIN NUMMER;VESTIGINGSNUMMER;BEVOEGD GEZAG NUMMER;NAAM VESTIGING;"
     "GEMEENTENUMMER;GEMEENTENAAM\r\n"
     "32JK;0;20091;BBS de Verwondering;1699;NOORDENVELD\r\n"
     "32JK;01;20091;BBS de Verwondering 2;1699;NOORDENVELD\r\n",
     0,
     DUO_ENCODING_UTF8,
     2,
     1,
     {3, "32JK01", "20091", "BBS de Verwondering 2", "NOORDENVELD", "1699", "",
      "", "", ""}},
    {"older names: full code in VESTIGINGSNUMMER",
     "BRIN NUMMER;VESTIGINGSNUMMER;BEVOEGD GEZAG NUMMER;NAAM VESTIGING;"
     "GEMEENTENUMMER;GEMEENTENAAM\r\n"
     "32JK;32JK02;20091;BBS de Verwondering 3;1699;NOORDENVELD\r\n",
     0,
     DUO_ENCODING_UTF8,
     1,
     0,
     {2, "32JK02", "20091", "BBS de Verwondering 3", "NOORDENVELD", "1699", "",
      "", "", ""}},
    {"VESTIGINGSCODE wins over INSTELLINGSCODE",
     "INSTELLINGSCODE;VESTIGINGSCODE;BEVOEGD GEZAG NUMMER;VESTIGINGSNAAM;"
     "GEMEENTENUMMER;GEMEENTENAAM\r\n"
     "32JK;32JK01;20091;BBS de Verwondering;1699;NOORDENVELD\r\n",
     0,
     DUO_ENCODING_UTF8,
     1,
     0,
     {2, "32JK01", "20091", "BBS de Verwondering", "NOORDENVELD", "1699", "",
      "", "", ""}},
    {"blank municipality (as in the 2026 file) is allowed",
     H "Noord-Brabant;73712;32LY00;Kindcampus Buitenwijs;VEGHEL;1948; ;"
       "Bijzonder;36;Noord-Oost-Brabant\r\n",
     0,
     DUO_ENCODING_UTF8,
     1,
     0,
     {2, "32LY00", "73712", "Kindcampus Buitenwijs", "", "1948", "VEGHEL", "36",
      "Noord-Oost-Brabant", "Noord-Brabant"}},
    {"a quote inside a quoted field followed by spaces",
     H "Drenthe;20091;32JK00;\"BBS de Verwondering\"  ;ALTEVEER;1699;"
       "NOORDENVELD;x;07;Noord- en Midden Drenthe\r\n",
     0, DUO_ENCODING_UTF8, 1, 0, ROW1},
};

#define N_GOOD (sizeof(good_cases) / sizeof(good_cases[0]))

struct want_error {
	unsigned    line;
	const char *needle; /* substring of the message */
};

struct bad_case {
	const char       *what;
	const char       *input;
	size_t            len; /* 0: strlen(input) */
	size_t            n_errors;
	struct want_error errors[4];
};

static const struct bad_case bad_cases[] = {
    /* Header. */
    {"missing column",
     "PROVINCIE;BEVOEGD GEZAG NUMMER;VESTIGINGSCODE;GEMEENTENUMMER;"
     "GEMEENTENAAM\r\nDrenthe;20091;32JK00;1699;NOORDENVELD\r\n",
     0,
     1,
     {{1, "de kopregel mist de kolom VESTIGINGSNAAM"}}},
    {"missing columns, one error",
     "VESTIGINGSCODE;VESTIGINGSNAAM\r\n32JK00;BBS\r\n",
     0,
     1,
     {{1, "de kopregel mist de kolommen BEVOEGD GEZAG NUMMER, "
          "GEMEENTENAAM, GEMEENTENUMMER"}}},
    {"no code: BRIN NUMMER alone is not enough",
     "BRIN NUMMER;BEVOEGD GEZAG NUMMER;VESTIGINGSNAAM;GEMEENTENUMMER;"
     "GEMEENTENAAM\r\n32JK;20091;BBS;1699;NOORDENVELD\r\n",
     0,
     1,
     {{1, "mist de kolom VESTIGINGSCODE (of BRIN NUMMER en "
          "VESTIGINGSNUMMER)"}}},
    {"pupil-count file is not a register",
     "\xef\xbb\xbfPEILDATUM;BEVOEGD GEZAG NUMMER;VESTIGINGSCODE;"
     "VESTIGINGSNAAM;AANTAL\r\n2025;20091;32JK00;BBS;<5\r\n",
     0,
     1,
     {{1, "mist de kolommen GEMEENTENAAM, GEMEENTENUMMER"}}},
    {"column twice",
     "VESTIGINGSCODE;BEVOEGD GEZAG NUMMER;VESTIGINGSNAAM;NAAM VESTIGING;"
     "GEMEENTENUMMER;GEMEENTENAAM\r\n32JK00;20091;A;B;1699;X\r\n",
     0,
     1,
     {{1, "de kolom VESTIGINGSNAAM staat meer dan eens in de kopregel"}}},
    {"header on line 3 after blank lines",
     "\r\n\r\nVESTIGINGSCODE\r\n32JK00\r\n",
     0,
     1,
     {{3, "de kopregel mist de kolommen"}}},
    {"empty file", "", 0, 1, {{1, "het bestand is leeg"}}},
    {"only blank lines", "\r\n \r\n", 0, 1, {{1, "het bestand is leeg"}}},
    {"header only", H, 0, 1, {{1, "het bestand bevat geen vestigingen"}}},
    {"header and blank records only",
     H ";;;;;;;;;\r\n\r\n",
     0,
     1,
     {{1, "het bestand bevat geen vestigingen"}}},
    /* Codes. */
    {"code of 5 characters",
     H R1 "Drenthe;20091;32JK0;X;A;1699;B;x;07;N\r\n",
     0,
     1,
     {{3, "ongeldige vestigingscode \"32JK0\""}}},
    {"code with a letter in the last two",
     H "Drenthe;20091;32JKA0;X;A;1699;B;x;07;N\r\n",
     0,
     1,
     {{2, "ongeldige vestigingscode \"32JKA0\""}}},
    {"code with a character outside [0-9A-Z]",
     H "Drenthe;20091;32J-00;X;A;1699;B;x;07;N\r\n",
     0,
     1,
     {{2, "ongeldige vestigingscode \"32J-00\""}}},
    {"empty code",
     H "Drenthe;20091; ;X;A;1699;B;x;07;N\r\n",
     0,
     1,
     {{2, "vestigingscode ontbreekt"}}},
    {"older names: bad VESTIGINGSNUMMER",
     "BRIN NUMMER;VESTIGINGSNUMMER;BEVOEGD GEZAG NUMMER;VESTIGINGSNAAM;"
     "GEMEENTENUMMER;GEMEENTENAAM\r\n32JK;123;20091;A;1699;B\r\n"
     "32J;00;20091;A;1699;B\r\n",
     0,
     2,
     {{2, "ongeldige vestigingscode \"32JK\" + \"123\""},
      {3, "ongeldige vestigingscode \"32J\" + \"00\""}}},
    {"duplicate code names the first line",
     H R1 R2 R3 "Drenthe;1;32JK00;Again;A;1699;B;x;07;N\r\n",
     0,
     1,
     {{5, "vestigingscode 32JK00 staat ook op regel 2"}}},
    {"duplicate after case folding",
     H R1 "Drenthe;1;32jk00;Again;A;1699;B;x;07;N\r\n",
     0,
     1,
     {{3, "vestigingscode 32JK00 staat ook op regel 2"}}},
    /* Other fields. */
    {"empty name",
     H R1 "Drenthe;20091;32JK01;  ;A;1699;B;x;07;N\r\n",
     0,
     1,
     {{3, "vestigingsnaam ontbreekt"}}},
    {"name of 201 characters",
     H "Drenthe;20091;32JK01;"
       "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
       "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
       "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
       "xx;A;1699;B;x;07;N\r\n",
     0,
     1,
     {{2, "vestigingsnaam is langer dan 200 tekens"}}},
    {"control character in a name",
     H "Drenthe;20091;32JK01;\"a\tb\";A;1699;B;x;07;N\r\n",
     0,
     1,
     {{2, "stuurteken in kolom VESTIGINGSNAAM"}}},
    {"C1 control in a name",
     H "Drenthe;20091;32JK01;a\xc2\x85;A;1699;B;x;07;N\r\n",
     0,
     1,
     {{2, "stuurteken in kolom VESTIGINGSNAAM"}}},
    {"line break in a quoted name",
     H "Drenthe;20091;32JK01;\"a\r\nb\";A;1699;B;x;07;N\r\n" R2,
     0,
     1,
     {{2, "stuurteken in kolom VESTIGINGSNAAM"}}},
    {"NUL byte",
     BYTES(H R1 "Drenthe;20091;32JK01;a\0b;A;1699;B;x;07;N\r\n"),
     1,
     {{3, "NUL-byte"}}},
    {"empty board number",
     H "Drenthe;;32JK01;X;A;1699;B;x;07;N\r\n",
     0,
     1,
     {{2, "bevoegd-gezagnummer ontbreekt"}}},
    {"board number with letters",
     H "Drenthe;2009a;32JK01;X;A;1699;B;x;07;N\r\n",
     0,
     1,
     {{2, "ongeldig bevoegd-gezagnummer \"2009a\""}}},
    {"board number of 11 digits",
     H "Drenthe;12345678901;32JK01;X;A;1699;B;x;07;N\r\n",
     0,
     1,
     {{2, "ongeldig bevoegd-gezagnummer"}}},
    {"municipality code with letters",
     H "Drenthe;20091;32JK01;X;A;16a9;B;x;07;N\r\n",
     0,
     1,
     {{2, "ongeldig gemeentenummer \"16a9\""}}},
    /* Record shape. */
    {"too few fields",
     H R1 "Drenthe;20091;32JK01;X;A;1699;B;x;07\r\n" R2,
     0,
     1,
     {{3, "10 velden verwacht (zoals in de kopregel), 9 gevonden"}}},
    {"too many fields",
     H R1 R2 "Drenthe;20091;32JK01;X;A;1699;B;x;07;N;extra\r\n",
     0,
     1,
     {{4, "10 velden verwacht (zoals in de kopregel), 11 gevonden"}}},
    {"quote inside an unquoted field; later lines still checked",
     H "Drenthe;20091;32JK01;Bad\"name;A;1699;B;x;07;N\r\n" R1
       "Drenthe;20091;32JK0;X;A;1699;B;x;07;N\r\n",
     0,
     2,
     {{2, "aanhalingsteken op een onverwachte plaats"},
      {4, "ongeldige vestigingscode"}}},
    {"text after a closing quote",
     H R1 "Drenthe;20091;32JK01;\"Bad\"x;A;1699;B;x;07;N\r\n",
     0,
     1,
     {{3, "aanhalingsteken op een onverwachte plaats"}}},
    {"quote never closed",
     H R1 "Drenthe;20091;32JK01;\"Bad;A;1699;B;x;07;N\r\nmore\r\n",
     0,
     1,
     {{3, "aanhalingsteken wordt niet afgesloten"}}},
    {"every bad line, in order",
     H R1 "Drenthe;20091;32JK0;X;A;1699;B;x;07;N\r\n"
          "Drenthe;20091;32JK02;;A;1699;B;x;07;N\r\n" R2
          "Drenthe;20091;32JK03;X;A;1699;B;x;07\r\n",
     0,
     3,
     {{3, "ongeldige vestigingscode"},
      {4, "vestigingsnaam ontbreekt"},
      {6, "velden verwacht"}}},
    {"two problems on one line",
     H "Drenthe;x;32JK0;;A;1699;B;x;07;N\r\n",
     0,
     3,
     {{2, "ongeldige vestigingscode"},
      {2, "ongeldig bevoegd-gezagnummer"},
      {2, "vestigingsnaam ontbreekt"}}},
    /* Encoding. */
    {"undefined Windows-1252 byte names its line",
     H R1 "Drenthe;20091;32JK01;\xe9\x81;A;1699;B;x;07;N\r\n",
     0,
     1,
     {{3, "byte 0x81 bestaat niet in Windows-1252"}}},
    {"each of 0x8D 0x8F 0x90 0x9D, one error per line",
     H "\x8d\r\n" R1 "\x8f\x90\r\n\x9d\r\n",
     0,
     3,
     {{2, "byte 0x8D"}, {4, "byte 0x8F"}, {5, "byte 0x9D"}}},
    {"undefined byte with lone CR line ends",
     "VESTIGINGSCODE\r\x81\r\r\x8d",
     0,
     2,
     {{2, "byte 0x81"}, {4, "byte 0x8D"}}},
    {"BOM and then invalid UTF-8",
     "\xef\xbb\xbf" H R1 "Drenthe;20091;32JK01;\xe9;A;1699;B;x;07;N\r\n",
     0,
     1,
     {{3, "ongeldige UTF-8 (byte 0xE9)"}}},
    {"BOM and an overlong sequence",
     "\xef\xbb\xbf" H "Drenthe;20091;32JK01;\xc0\xaf;A;1699;B;x;07;N\r\n",
     0,
     1,
     {{2, "ongeldige UTF-8 (byte 0xC0)"}}},
    {"UTF-16", "\xff\xfeV\0E\0", 6, 1, {{1, "UTF-16"}}},
};

#define N_BAD (sizeof(bad_cases) / sizeof(bad_cases[0]))

static void
expect_str(const char *what, const char *field, const char *want,
           const char *got)
{
	if (strcmp(want, got) != 0) {
		print_error("%s: %s is \"%s\", want \"%s\"\n", what, field, got,
		            want);
		fail();
	}
}

static void
dump_errors(const struct duo_register *reg)
{
	for (size_t i = 0; i < reg->errors.count; i++)
		print_message("    line %u: %s\n", reg->errors.items[i].line,
		              reg->errors.items[i].message);
}

static void
test_good_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_GOOD; i++) {
		const struct good_case *c = &good_cases[i];
		const struct want_row  *w = &c->row;
		struct duo_register    *reg;
		const struct duo_row   *r;
		size_t len = c->len != 0 ? c->len : strlen(c->input);
		int    rc = duo_parse(c->input, len, &reg);

		if (rc != 0 || reg->errors.count != 0) {
			print_error("%s: rc %d, %zu errors\n", c->what, rc,
			            reg->errors.count);
			dump_errors(reg);
			fail();
		}
		if (reg->n_rows != c->n_rows) {
			print_error("%s: %zu rows, want %zu\n", c->what,
			            reg->n_rows, c->n_rows);
			fail();
		}
		assert_int_equal(reg->encoding, c->encoding);
		r = &reg->rows[c->check];
		if (r->line != w->line) {
			print_error("%s: line %u, want %u\n", c->what, r->line,
			            w->line);
			fail();
		}
		expect_str(c->what, "brin", w->brin, r->brin);
		expect_str(c->what, "board_number", w->board, r->board_number);
		expect_str(c->what, "name", w->name, r->name);
		expect_str(c->what, "municipality", w->muni, r->municipality);
		expect_str(c->what, "municipality_code", w->muni_code,
		           r->municipality_code);
		expect_str(c->what, "place", w->place, r->place);
		expect_str(c->what, "rmc_region_code", w->rmc_code,
		           r->rmc_region_code);
		expect_str(c->what, "rmc_region_name", w->rmc_name,
		           r->rmc_region_name);
		expect_str(c->what, "province", w->province, r->province);
		duo_register_free(reg);
	}
}

static void
test_bad_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_BAD; i++) {
		const struct bad_case *c = &bad_cases[i];
		struct duo_register   *reg;
		size_t len = c->len != 0 ? c->len : strlen(c->input);
		int    rc = duo_parse(c->input, len, &reg);

		if (rc != -1 || reg->rows != NULL || reg->n_rows != 0 ||
		    reg->errors.count != c->n_errors ||
		    reg->errors.dropped != 0) {
			print_error("%s: rc %d, %zu rows, %zu errors (want "
			            "%zu), %zu dropped\n",
			            c->what, rc, reg->n_rows, reg->errors.count,
			            c->n_errors, reg->errors.dropped);
			dump_errors(reg);
			fail();
		}
		for (size_t k = 0; k < c->n_errors; k++) {
			const struct errlist_item *e = &reg->errors.items[k];

			if (e->line != c->errors[k].line ||
			    strstr(e->message, c->errors[k].needle) == NULL) {
				print_error("%s: error %zu is line %u \"%s\", "
				            "want line %u \"%s\"\n",
				            c->what, k, e->line, e->message,
				            c->errors[k].line,
				            c->errors[k].needle);
				dump_errors(reg);
				fail();
			}
		}
		duo_register_free(reg);
	}
}

/* A file refused for bytes that are neither UTF-8 nor Windows-1252 was
 * still read as Windows-1252: the register says so (found by fuzz_duo when
 * the CSV-import skeleton moved to csvin.c). */
static void
test_refused_encoding(void **state)
{
	static const char    bad[] = "VESTIGINGSCODE\r\n\x81\r\n";
	struct duo_register *reg;

	(void)state;
	assert_int_equal(duo_parse(bad, sizeof(bad) - 1, &reg), -1);
	assert_int_equal(reg->encoding, DUO_ENCODING_CP1252);
	assert_int_equal(reg->errors.count, 1);
	assert_int_equal(reg->errors.items[0].line, 2);
	duo_register_free(reg);
}

/* 300 bad lines: 200 messages kept, 100 counted. */
static void
test_error_cap(void **state)
{
	size_t               cap = 1 << 16, o = 0;
	char                *buf = malloc(cap);
	struct duo_register *reg;

	(void)state;
	o += (size_t)snprintf(buf, cap, "%s", H);
	for (int i = 0; i < 300; i++)
		o += (size_t)snprintf(buf + o, cap - o,
		                      "Drenthe;x;32%04d;X;A;1699;B;x;07;N\r\n",
		                      i);
	assert_int_equal(duo_parse(buf, o, &reg), -1);
	assert_int_equal(reg->errors.count, DUO_ERRORS_MAX);
	assert_int_equal(reg->errors.dropped, 100);
	assert_null(reg->rows);
	assert_int_equal(reg->errors.items[0].line, 2);
	assert_int_equal(reg->errors.items[DUO_ERRORS_MAX - 1].line, 201);
	duo_register_free(reg);
	free(buf);
}

/* One location more than DUO_MAX_ROWS: refused with the row limit's own
 * message, on the first line past it (not a worker holding millions). */
static void
test_too_many_rows(void **state)
{
	size_t               n = DUO_MAX_ROWS + 1, cap = (n + 1) * 100, o = 0;
	char                *buf = malloc(cap);
	struct duo_register *reg;

	(void)state;
	assert_non_null(buf);
	o += (size_t)snprintf(buf, cap, "%s", H);
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(
		    buf + o, cap - o,
		    "Utrecht;41886;%02zu%c%c%02zu;School %zu;LEUSDEN;0327;"
		    "LEUSDEN;Openbaar;17;Eemland\r\n",
		    i / 67600, (char)('A' + (i / 2600) % 26),
		    (char)('A' + (i / 100) % 26), i % 100, i);
	assert_int_equal(duo_parse(buf, o, &reg), -1);
	assert_int_equal(reg->errors.count, 1);
	assert_int_equal(reg->errors.items[0].line, DUO_MAX_ROWS + 2);
	assert_non_null(strstr(reg->errors.items[0].message,
	                       "meer dan 100000 vestigingen"));
	duo_register_free(reg);
	free(buf);
}

/* Over the limit is refused unread, on line 0. */
static void
test_too_large(void **state)
{
	char                *buf = calloc(DUO_MAX_BYTES + 1, 1);
	struct duo_register *reg;

	(void)state;
	assert_non_null(buf);
	assert_int_equal(duo_parse(buf, DUO_MAX_BYTES + 1, &reg), -1);
	assert_int_equal(reg->errors.count, 1);
	assert_int_equal(reg->errors.items[0].line, 0);
	assert_non_null(
	    strstr(reg->errors.items[0].message, "groter dan 20 MiB"));
	duo_register_free(reg);
	free(buf);
}

static void
test_free_null(void **state)
{
	(void)state;
	duo_register_free(NULL);
	assert_string_equal(duo_encoding_name(DUO_ENCODING_CP1252),
	                    "Windows-1252");
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long  n;

	if (f == NULL) {
		print_error("cannot open %s (set DUO_FILE, or run from the "
		            "repository root)\n",
		            path);
		return NULL;
	}
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Distinct values of one string member of the rows, "" counted unless
 * skip_empty. */
static size_t
distinct(const struct duo_register *reg, size_t offset, bool skip_empty)
{
	const char **v = malloc(reg->n_rows * sizeof(*v));
	size_t       n = 0, count = 0;

	assert_non_null(v);
	for (size_t i = 0; i < reg->n_rows; i++) {
		const char *s = *(
		    const char *const *)((const char *)&reg->rows[i] + offset);

		if (!skip_empty || s[0] != '\0')
			v[n++] = s;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	for (size_t i = 0; i < n; i++)
		count += i == 0 || strcmp(v[i - 1], v[i]) != 0;
	free(v);
	return count;
}

static const struct duo_row *
find(const struct duo_register *reg, const char *brin)
{
	for (size_t i = 0; i < reg->n_rows; i++)
		if (strcmp(reg->rows[i].brin, brin) == 0)
			return &reg->rows[i];
	return NULL;
}

/*
 * The real 2026 register: 6,122 locations of 749 boards.  Municipalities:
 * DUO's README says 343, which counts the two blank GEMEENTENAAM values of
 * 32LY00 and 32LW00 (GEMEENTENUMMER 1948, MEIERIJSTAD elsewhere in the
 * file); there are 342 municipality codes and 342 non-blank names.
 */
static void
test_real_file(void **state)
{
	const char           *path = getenv("DUO_FILE");
	const struct duo_row *r;
	struct duo_register  *reg;
	size_t                len, empty_muni = 0;
	char                 *buf;

	(void)state;
	if (path == NULL || path[0] == '\0')
		path = DEFAULT_DUO_FILE;
	buf = read_file(path, &len);
	assert_non_null(buf);
	if (duo_parse(buf, len, &reg) != 0) {
		dump_errors(reg);
		fail();
	}
	assert_int_equal(reg->encoding, DUO_ENCODING_CP1252);
	assert_int_equal(reg->n_rows, 6122);
	assert_int_equal(
	    distinct(reg, offsetof(struct duo_row, board_number), false), 749);
	assert_int_equal(
	    distinct(reg, offsetof(struct duo_row, municipality), false), 343);
	assert_int_equal(
	    distinct(reg, offsetof(struct duo_row, municipality), true), 342);
	assert_int_equal(
	    distinct(reg, offsetof(struct duo_row, municipality_code), false),
	    342);
	assert_int_equal(
	    distinct(reg, offsetof(struct duo_row, province), false), 12);
	for (size_t i = 0; i < reg->n_rows; i++)
		empty_muni += reg->rows[i].municipality[0] == '\0';
	assert_int_equal(empty_muni, 2);

	assert_int_equal(reg->rows[0].line, 2);
	assert_string_equal(reg->rows[0].brin, "32JK00");
	assert_int_equal(reg->rows[reg->n_rows - 1].line, 6123);

	/* 0x92 and 0x91 of Windows-1252 as U+2019 and U+2018. */
	r = find(reg, "05OC00");
	assert_non_null(r);
	assert_string_equal(r->name, "Dalton Kindcentrum \xe2\x80\x99t Kompas");
	r = find(reg, "09DN00");
	assert_non_null(r);
	assert_string_equal(r->name,
	                    "Openbare Basisschool \xe2\x80\x98t Ienster");
	assert_string_equal(r->rmc_region_name, "Friesland Noord");
	assert_string_equal(r->municipality_code, "0060");
	/* A quoted field with doubled quotes. */
	r = find(reg, "00AR00");
	assert_non_null(r);
	assert_string_equal(r->name, "Basisschool \"De Maasparel\"");
	/* The blank municipality. */
	r = find(reg, "32LY00");
	assert_non_null(r);
	assert_string_equal(r->municipality, "");
	assert_string_equal(r->municipality_code, "1948");

	duo_register_free(reg);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_cases),
	    cmocka_unit_test(test_bad_cases),
	    cmocka_unit_test(test_refused_encoding),
	    cmocka_unit_test(test_error_cap),
	    cmocka_unit_test(test_too_large),
	    cmocka_unit_test(test_too_many_rows),
	    cmocka_unit_test(test_free_null),
	    cmocka_unit_test(test_real_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
