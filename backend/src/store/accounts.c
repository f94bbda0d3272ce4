/* SQL of account life: one-time tokens (email verification, password
 * reset), password change, the mail outbox, the audit log, a person's own
 * data (export) and its erasure, and the operator's first administrator. */
#include "store.h"
#include "reader.h"

#include "../auth.h"
#include "../validate.h"

const struct store_link_kind store_link_verify = {"verify_email", "verify"};
const struct store_link_kind store_link_reset = {"reset_password", "reset"};

const struct db_stmt store_accounts_stmts[] = {
    {"audit_add",
     "INSERT INTO audit_log (actor_id, action, target, details)"
     " VALUES ($1, $2, $3, coalesce($4, '{}')::jsonb)",
     4},
    {"audit_list",
     "SELECT coalesce(json_agg(json_build_object('id', a.id,"
     " 'at', rfc3339(a.at), 'actor_id', a.actor_id, 'actor', u.email,"
     " 'action', a.action, 'target', a.target, 'details', a.details)"
     " ORDER BY a.id DESC), '[]') FROM (SELECT * FROM audit_log"
     " WHERE $1::bigint = 0 OR id < $1 ORDER BY id DESC LIMIT 200) a"
     " LEFT JOIN users u ON u.id = a.actor_id",
     1},
    /* $4: the accounts the mail is to or about, as a bigint[] literal. */
    {"mail_queue",
     "INSERT INTO mail_outbox (recipient, subject, body, user_ids)"
     " VALUES ($1, $2, $3, coalesce($4, '{}')::bigint[])",
     4},
    /* $1 hash, $2 user, $3 purpose, $4 lifetime in seconds */
    {"token_create",
     "INSERT INTO account_tokens (token_hash, user_id, purpose, expires_at)"
     " VALUES ($1, $2, $3, now() + make_interval(secs => $4::int))",
     4},
    /* Uses a token once; returns its user while it is valid. */
    {"token_use",
     "UPDATE account_tokens SET used_at = now() WHERE token_hash = $1"
     " AND purpose = $2 AND used_at IS NULL AND expires_at > now()"
     " RETURNING user_id",
     2},
    /* A verified address takes its place on the school's roster: the
     * roster's role and name apply from now on. */
    {"email_verified",
     "WITH u AS (UPDATE users SET email_verified = true WHERE id = $1"
     "   RETURNING id, email_canonical, school_id),"
     " st AS (UPDATE staff s SET user_id = u.id FROM u"
     "   WHERE s.email = u.email_canonical AND s.school_id = u.school_id"
     "   AND s.left_at IS NULL AND s.user_id IS NULL"
     "   RETURNING s.role, s.name)"
     " UPDATE users x SET role = st.role, name = st.name FROM st"
     " WHERE x.id = $1 AND x.role IN ('teacher', 'ib')",
     1},
    {"token_valid",
     "SELECT user_id FROM account_tokens WHERE token_hash = $1"
     " AND purpose = $2 AND used_at IS NULL AND expires_at > now()",
     2},
    {"user_email_of",
     "SELECT email, name, email_verified FROM users"
     " WHERE id = $1 AND erased_at IS NULL",
     1},
    /* $1 canonical (validate.c); mail goes to the stored address. */
    {"user_id_by_email",
     "SELECT id, name, email FROM users WHERE email_canonical = $1"
     " AND erased_at IS NULL",
     1},
    {"user_password_hash", "SELECT password_hash FROM users WHERE id = $1", 1},
    /* A new password ends every session issued before it and every reset
     * link not used yet (verification links stay: they prove the address,
     * not the password), and clears the failed logins of the address. */
    {"user_set_password",
     "WITH u AS (UPDATE users SET password_hash = $2,"
     "   tokens_valid_after = now() WHERE id = $1"
     "   RETURNING email_canonical),"
     " links AS (UPDATE account_tokens SET used_at = now()"
     "   WHERE user_id = $1 AND purpose = 'reset_password'"
     "   AND used_at IS NULL),"
     " failures AS (DELETE FROM login_failures f USING u"
     "   WHERE f.email = u.email_canonical)"
     " SELECT count(*) FROM u",
     2},
    {"user_export",
     "SELECT json_build_object("
     " 'account', (SELECT json_build_object('id', u.id, 'email', u.email,"
     "   'name', u.name, 'role', u.role, 'school_id', u.school_id,"
     "   'board_id', u.board_id, 'region_id', u.region_id,"
     "   'email_verified', u.email_verified,"
     "   'created_at', rfc3339(u.created_at)) FROM users u WHERE u.id = $1),"
     " 'staff', (SELECT coalesce(json_agg(json_build_object('school',"
     "   s.name, 'role', st.role, 'name', st.name, 'email', st.email,"
     "   'started_at', rfc3339(st.started_at), 'left_at', rfc3339(st.left_at))"
     "   ORDER BY st.started_at), '[]') FROM staff st"
     "   JOIN schools s ON s.id = st.school_id WHERE st.user_id = $1),"
     " 'section_progress', (SELECT coalesce(json_agg(json_build_object("
     "   'module', m.slug, 'section', p.section_id,"
     "   'done_at', rfc3339(p.done_at)) ORDER BY p.done_at), '[]')"
     "   FROM section_progress p JOIN modules m ON m.id = p.module_id"
     "   WHERE p.user_id = $1),"
     " 'quiz_attempts', (SELECT coalesce(json_agg(json_build_object("
     "   'module', m.slug, 'version', a.module_version, 'score', a.score,"
     "   'passed', a.passed, 'answers', a.answers,"
     "   'at', rfc3339(a.created_at)) ORDER BY a.id), '[]')"
     "   FROM quiz_attempts a JOIN modules m ON m.id = a.module_id"
     "   WHERE a.user_id = $1),"
     " 'certificates', (SELECT coalesce(json_agg(json_build_object("
     "   'code', c.code, 'module', m.slug, 'issued_at', rfc3339(c.issued_at),"
     "   'expires_at', rfc3339(c.expires_at)) ORDER BY c.id), '[]')"
     "   FROM certificates c JOIN modules m ON m.id = c.module_id"
     "   WHERE c.user_id = $1),"
     " 'scenario_attempts', (SELECT coalesce(json_agg(json_build_object("
     "   'scenario_id', a.scenario_id, 'version', a.version,"
     "   'choices', a.choices, 'score', a.score, 'outcome', a.outcome,"
     "   'at', rfc3339(a.created_at)) ORDER BY a.id), '[]')"
     "   FROM scenario_attempts a WHERE a.user_id = $1),"
     " 'trainings', (SELECT coalesce(json_agg(json_build_object("
     "   'title', t.title, 'date', t.held_on, 'passed', ta.passed,"
     "   'criteria', ta.criteria, 'judged_at', rfc3339(ta.judged_at))),"
     " '[]')"
     "   FROM training_attendance ta JOIN trainings t ON t.id = ta.training_id"
     "   WHERE ta.user_id = $1),"
     /* The browsers where the person logged in; never the cookie's hash. */
     " 'login_devices', (SELECT coalesce(json_agg(json_build_object("
     "   'first_login', rfc3339(d.created_at),"
     "   'expires_at', rfc3339(d.expires_at)) ORDER BY d.id), '[]')"
     "   FROM login_devices d WHERE d.user_id = $1))",
     1},
    /* Name and email go; the rows stay so that counts of the past stay
     * right.  The password can never match again.  Placeholders are under
     * EMAIL_ERASED_DOMAIN, which no input may use, with a random part, so
     * that no other row can make the erase fail.  Mail to the person is
     * emptied (and never sent, if it was not yet); mail about them loses
     * their name and address.  Tokens, failed logins and login devices go. */
    {"user_erase",
     "WITH old AS (SELECT id, email, email_canonical, name FROM users"
     "   WHERE id = $1 AND erased_at IS NULL FOR UPDATE),"
     " p AS (SELECT old.*, 'verwijderd-' || old.id || '-'"
     "   || replace(gen_random_uuid()::text, '-', '')"
     "   || '@" EMAIL_ERASED_DOMAIN "' AS addr FROM old),"
     " u AS (UPDATE users x SET name = 'Verwijderde gebruiker',"
     "   email = p.addr, email_canonical = p.addr,"
     "   password_hash = '!', erased_at = now(),"
     "   tokens_valid_after = 'infinity' FROM p WHERE x.id = p.id"
     "   RETURNING x.id),"
     " st AS (UPDATE staff s SET name = 'Verwijderd',"
     "   email = 'verwijderd-s' || s.id || '-'"
     "   || replace(gen_random_uuid()::text, '-', '')"
     "   || '@" EMAIL_ERASED_DOMAIN "'"
     "   FROM p WHERE s.user_id = p.id OR s.email = p.email_canonical"
     "   RETURNING s.id),"
     " tok AS (DELETE FROM account_tokens t USING p WHERE t.user_id = p.id),"
     /* An open invitation would link the erased account later. */
     " inv AS (DELETE FROM staff_invitations i USING p"
     "   WHERE i.user_id = p.id AND i.status = 'pending'),"
     " fail AS (DELETE FROM login_failures f USING p"
     "   WHERE f.email = p.email_canonical),"
     " dev AS (DELETE FROM login_devices d USING p WHERE d.user_id = p.id),"
     " mail_to AS (UPDATE mail_outbox m SET recipient = p.addr,"
     "   body = '(gewist)', next_try = 'infinity',"
     "   last_error = CASE WHEN m.sent_at IS NULL"
     "     THEN 'gewist voor verzending' ELSE m.last_error END"
     "   FROM p WHERE lower(m.recipient COLLATE \"C\") = p.email_canonical),"
     /* A mail that names the person by id (a digest) is emptied: it may
      * spell the name as a roster did, and a replace of the name alone
      * would also change other names that contain it. */
     " mail_about AS (UPDATE mail_outbox m SET body = CASE"
     "   WHEN p.id = ANY (m.user_ids) THEN '(inhoud gewist: het bericht"
     " noemde een persoon die is gewist)'"
     "   ELSE replace(replace(replace(m.body, p.name, 'Verwijderde gebruiker'),"
     "   p.email, p.addr), p.email_canonical, p.addr) END"
     "   FROM p WHERE lower(m.recipient COLLATE \"C\") <> p.email_canonical"
     "   AND (p.id = ANY (m.user_ids)"
     "   OR strpos(lower(m.body COLLATE \"C\"), p.email_canonical) > 0))"
     " SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM st)",
     1},
    {0},
};

/* Runs a statement that answers how many accounts it changed: none is a
 * missing account. */
static enum db_status
changed_one(struct store_ctx *ctx, const char *name, int n,
            const char *const *v)
{
	PGresult      *res;
	enum db_status st = db_exec(ctx->db, ctx->arena, name, n, v, &res);

	if (st != DB_OK)
		return st;
	return db_int(res, 0, 0) == 1 ? DB_OK : DB_NOT_FOUND;
}

enum db_status
store_audit(struct store_ctx *ctx, const char *action, const char *target,
            const char *details)
{
	char        ab[24];
	const char *v[4] = {ctx->user_id ? STORE_INT(ab, ctx->user_id) : NULL,
	                    action, target, details};
	return db_exec(ctx->db, ctx->arena, "audit_add", 4, v, NULL);
}

STORE_VALUE_BY_ID(store_audit_list_json, "audit_list")

enum db_status
store_mail_queue(struct store_ctx *ctx, const char *to, long long about_user,
                 const char *subject, const char *body)
{
	const char *v[4] = {
	    to, subject, body,
	    about_user ? arena_printf(ctx->arena, "{%lld}", about_user) : NULL};

	return db_exec(ctx->db, ctx->arena, "mail_queue", 4, v, NULL);
}

static enum db_status
store_token_create(struct store_ctx *ctx, const char *hash, long long user_id,
                   const char *purpose, int seconds)
{
	char        ub[24], sb[24];
	const char *v[4] = {hash, STORE_INT(ub, user_id), purpose,
	                    STORE_INT(sb, seconds)};

	return db_exec(ctx->db, ctx->arena, "token_create", 4, v, NULL);
}

enum db_status
store_link_create(struct store_ctx *ctx, const struct store_link_kind *kind,
                  long long user_id, int seconds, const char **secret)
{
	char           fresh[65], hash[65];
	enum db_status st;

	auth_secret_new(fresh, hash);
	st = store_token_create(ctx, hash, user_id, kind->purpose, seconds);
	if (st == DB_OK)
		*secret = arena_strdup(ctx->arena, fresh);
	sodium_memzero(fresh, sizeof(fresh));
	return st;
}

enum db_status
store_token_use(struct store_ctx *ctx, const char *hash, const char *purpose,
                long long *user_id)
{
	const char *v[2] = {hash, purpose};

	return db_exec_scan(ctx->db, ctx->arena, "token_use", 2, v, "i",
	                    user_id);
}

enum db_status
store_token_valid(struct store_ctx *ctx, const char *hash, const char *purpose)
{
	const char *v[2] = {hash, purpose};
	PGresult   *res;

	return db_exec_row(ctx->db, ctx->arena, "token_valid", 2, v, &res);
}

enum db_status
store_email_verify(struct store_ctx *ctx, const char *hash,
                   const char *public_url)
{
	char           ub[24];
	long long      user_id;
	const char    *v[1];
	enum db_status st = db_begin(ctx->db);

	/* One transaction: a link used but its stays not linked (a timeout,
	 * a deadlock with a roster import) could never be tried again. */
	if (st == DB_OK)
		st = store_token_use(ctx, hash, store_link_verify.purpose,
		                     &user_id);
	v[0] = STORE_INT(ub, st == DB_OK ? user_id : 0);
	if (st == DB_OK)
		st = db_exec(ctx->db, ctx->arena, "email_verified", 1, v, NULL);
	/* Stays elsewhere at the account's board link; other boards ask. */
	if (st == DB_OK)
		st = store_staff_link_verified(ctx, user_id, public_url);
	return db_finish(ctx->db, st);
}

enum db_status
store_password_reset(struct store_ctx *ctx, const char *hash,
                     const char *password_hash, long long *user_id)
{
	enum db_status st = db_begin(ctx->db);

	if (st == DB_OK)
		st = store_token_use(ctx, hash, store_link_reset.purpose,
		                     user_id);
	if (st == DB_OK)
		st = store_user_set_password(ctx, *user_id, password_hash);
	/* Whoever held the old password may have made devices; the browser
	 * that proved the mailbox becomes the one known device. */
	if (st == DB_OK)
		st = store_login_devices_drop(ctx, *user_id);
	return db_finish(ctx->db, st);
}

enum db_status
store_admin_create(struct store_ctx *ctx, const struct store_new_admin *in,
                   long long *id, const char **link_secret)
{
	char           details[64];
	enum db_status st = db_begin(ctx->db);

	*link_secret = NULL;
	/* "!" is no argon2 string: no password ever matches it (as erase). */
	if (st == DB_OK)
		st = store_user_create(ctx, in->email, in->canonical, in->name,
		                       in->password_hash ? in->password_hash
		                                         : "!",
		                       "admin", 0, 0, id);
	if (st == DB_OK && in->password_hash == NULL)
		st = store_link_create(ctx, &store_link_reset, *id,
		                       in->link_seconds, link_secret);
	snprintf(details, sizeof(details),
	         "{\"role\":\"admin\",\"password\":\"%s\"}",
	         in->password_hash ? "set" : "link");
	if (st == DB_OK)
		st = store_audit(ctx, in->audit_action,
		                 arena_printf(ctx->arena, "user:%lld", *id),
		                 details);
	st = db_finish(ctx->db, st);
	if (st != DB_OK)
		*link_secret = NULL;
	return st;
}

enum db_status
store_user_contact(struct store_ctx *ctx, long long user_id, const char **email,
                   const char **name, bool *verified)
{
	char        ub[24];
	const char *v[1] = {STORE_INT(ub, user_id)};

	return db_exec_scan(ctx->db, ctx->arena, "user_email_of", 1, v, "ssb",
	                    email, name, verified);
}

enum db_status
store_user_id_by_email(struct store_ctx *ctx, const char *canonical,
                       long long *id, const char **email, const char **name)
{
	const char *v[1] = {canonical};

	return db_exec_scan(ctx->db, ctx->arena, "user_id_by_email", 1, v,
	                    "iss", id, name, email);
}

STORE_VALUE_BY_ID(store_user_password_hash, "user_password_hash")

enum db_status
store_user_set_password(struct store_ctx *ctx, long long user_id,
                        const char *hash)
{
	char        ub[24];
	const char *v[2] = {STORE_INT(ub, user_id), hash};

	return changed_one(ctx, "user_set_password", 2, v);
}

STORE_VALUE_BY_ID(store_user_export_json, "user_export")

enum db_status
store_user_erase(struct store_ctx *ctx, long long user_id)
{
	char        ub[24];
	const char *v[1] = {STORE_INT(ub, user_id)};

	return changed_one(ctx, "user_erase", 1, v);
}
