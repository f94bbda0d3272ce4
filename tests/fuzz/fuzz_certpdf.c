/* Fuzz target: certpdf_render with the holder's name (and the module title)
 * from the input. */

/*
 * Input: the holder name, then optionally a NUL and the module title; the
 * other fields are fixed and valid.  Both texts come from people (the name
 * from registration, the title from content), so any UTF-8 can reach the
 * renderer.
 *
 * Property, from certpdf.h: the render succeeds exactly when each text is
 * valid UTF-8 of 1-CERTPDF_FIELD_MAX bytes that does not print as blanks
 * only (spaces, control characters and the invisible U+00AD, U+200B-U+200D,
 * U+2060, U+FEFF); then the output is one PDF ("%PDF-" ... "%%EOF").  On
 * failure nothing is handed out.
 */
#include "certpdf.h"
#include "fuzz_common.h"

/* Decodes one code point of valid UTF-8. */
static uint32_t
next_cp(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	uint32_t             c;
	int                  n;

	if (p[0] < 0x80)
		n = 0, c = p[0];
	else if (p[0] < 0xE0)
		n = 1, c = p[0] & 0x1F;
	else if (p[0] < 0xF0)
		n = 2, c = p[0] & 0x0F;
	else
		n = 3, c = p[0] & 0x07;
	for (int i = 1; i <= n; i++)
		c = (c << 6) | (p[i] & 0x3F);
	*pp = p + n + 1;
	return c;
}

static bool
field_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t               n = strlen(s);
	bool                 ink = false;

	if (n == 0 || n > CERTPDF_FIELD_MAX || !fuzz_utf8_valid(s, n))
		return false;
	while (*p != '\0') {
		uint32_t c = next_cp(&p);

		if (!(c <= 0x20 || c == 0x7F || c == 0xAD ||
		      (c >= 0x200B && c <= 0x200D) || c == 0x2060 ||
		      c == 0xFEFF))
			ink = true;
	}
	return ink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct certpdf c = {
	    .holder_name = NULL,
	    .module_title = "De Meldcode in het kort",
	    .issued_at = "2026-11-22T10:00:00Z",
	    .expires_at = "2028-11-22T10:00:00Z",
	    .code = "AbCdEfGhIjKlMnOpQrStUv",
	    .verify_url = "https://hgkm.example/verificatie/"
	                  "AbCdEfGhIjKlMnOpQrStUv",
	};
	unsigned char *out = (unsigned char *)"not set";
	size_t         out_len = 0, tl;
	const uint8_t *title = fuzz_part(data, size, 1, &tl);
	char          *name = fuzz_cstr(data, size), *t = NULL;
	bool           want;
	int            rc;

	c.holder_name = name;
	if (title != NULL) {
		t = fuzz_cstr(title, tl);
		c.module_title = t;
	}
	want = field_ok(c.holder_name) && field_ok(c.module_title);

	rc = certpdf_render(&c, &out, &out_len);
	FUZZ_CHECK((rc == 0) == want, "render %d, want %s for name \"%s\"", rc,
	           want ? "success" : "refusal", name);
	if (rc == 0) {
		FUZZ_CHECK(out != NULL && out_len > 20 &&
		               memcmp(out, "%PDF-", 5) == 0 &&
		               memmem(out + out_len - 8, 8, "%%EOF", 5) != NULL,
		           "not a PDF (%zu bytes)", out_len);
		free(out);
	} else {
		FUZZ_CHECK(out == NULL, "output handed out on failure");
	}
	free(name);
	free(t);
	return 0;
}
