/* Certificates: the learner's own, public verification, and the PDF. */
#include "handlers.h"

#include <stdlib.h>

#include "../auth.h"
#include "../certpdf.h"
#include "../config.h"
#include "../log.h"
#include "../store/store.h"

static int load_public(struct request *r, struct response *res,
                       struct certificate_public *c);

void
certificates_mine(struct request *r, struct response *res)
{
	reply_json_list(r, res, store_my_certificates_json);
}

/* Looks up a public certificate; answers 404 or 503 itself on failure. */
static int
load_public(struct request *r, struct response *res,
            struct certificate_public *c)
{
	enum db_status st;

	st = store_certificate_public(&r->store, r->param.certificate, c);
	if (st == DB_NOT_FOUND) {
		http_error(r, res, 404, "not_found",
		           "Onbekende certificaatcode.");
		return -1;
	}
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return -1;
	}
	return 0;
}

void
certificates_verify(struct request *r, struct response *res)
{
	struct certificate_public c;
	json_t                   *body;

	if (load_public(r, res, &c) < 0)
		return;
	body = arena_json(r->arena,
	                  json_pack("{s:b, s:s, s:s, s:s, s:s}", "valid",
	                            c.valid, "holder_name", c.holder_name,
	                            "module_title", c.module_title, "issued_at",
	                            c.issued_at, "expires_at", c.expires_at));
	/* The code is the secret of this page: keep it out of Referer. */
	http_header_add(r, res, "Referrer-Policy", "no-referrer");
	http_json(r, res, 200, body);
}

void
certificates_pdf(struct request *r, struct response *res)
{
	struct certificate_public c;
	struct certpdf            pdf;
	unsigned char            *out = NULL;
	size_t                    len = 0;

	if (load_public(r, res, &c) < 0)
		return;
	pdf.holder_name = c.holder_name;
	pdf.module_title = c.module_title;
	pdf.issued_at = c.issued_at;
	pdf.expires_at = c.expires_at;
	pdf.code = r->param.certificate;
	pdf.verify_url =
	    arena_printf(r->arena, "%s/verificatie/%s", r->config->public_url,
	                 r->param.certificate);
	if (certpdf_render(&pdf, &out, &len) != 0) {
		log_error(
		    "certificates: cannot render the PDF of a certificate");
		return;
	}
	arena_adopt(r->arena, out);
	http_body(r, res, 200, "application/pdf", out, len);
	http_header_add(r, res, "Content-Disposition",
	                "inline; filename=\"certificaat.pdf\"");
	http_header_add(r, res, "Referrer-Policy", "no-referrer");
}
