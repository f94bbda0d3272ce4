/* The caller as loaded from the database on this request: shared by the
 * request (http.h) and the store, which must not see the request itself. */
#ifndef USER_H
#define USER_H

struct user {
	long long   id;
	const char *email;
	const char *name;
	const char *role;
	long long   school_id; /* 0 when none */
	long long   board_id;
	long long   region_id;
};

#endif
