/* GET /api/v1/me/invitations and their answers: another board put the
 * caller on its roster; the caller decides whether that stay is theirs. */
#include "handlers.h"

#include "../store/store.h"

void
invitations_mine(struct request *r, struct response *res)
{
	reply_json_list(r, res, store_invitations_mine_json);
}

static void
answer(struct request *r, struct response *res, bool accept)
{
	long long      id = r->param.invitation, staff_id, issued;
	json_t        *body;
	enum db_status st;

	st = store_invitation_answer(&r->store, id, accept, &staff_id, &issued);
	if (st == DB_NOT_FOUND) {
		http_error(r, res, 404, "not_found",
		           "Deze uitnodiging bestaat niet.");
		return;
	}
	if (st == DB_CONFLICT) {
		http_error(
		    r, res, 409, "conflict",
		    "Deze uitnodiging is al beantwoord of geldt niet meer.");
		return;
	}
	if (st != DB_OK) {
		reply_db_error(r, res, st);
		return;
	}
	/* The owner's consent is the evidence that the link is wanted. */
	handler_audit_on(r, accept ? "invitation_accept" : "invitation_decline",
	                 "staff", staff_id,
	                 "{\"invitation\":%lld,\"certificates_issued\":%lld}",
	                 id, issued);
	body = arena_json(r->arena,
	                  json_pack("{s:I, s:s, s:I}", "id", (json_int_t)id,
	                            "status", accept ? "accepted" : "declined",
	                            "certificates_issued", (json_int_t)issued));
	http_json(r, res, 200, body);
}

void
invitations_accept(struct request *r, struct response *res)
{
	answer(r, res, true);
}

void
invitations_decline(struct request *r, struct response *res)
{
	answer(r, res, false);
}
