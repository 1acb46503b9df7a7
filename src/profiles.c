/* Reading other tools' profiles just enough to know which device each configures. Both
 * formats are KEY=VALUE lines (a keyfile's sections do not matter for these keys); an
 * ifcfg value may be quoted. Pure. */
#include <string.h>

#include "mac.h"
#include "profiles.h"

static void value(const char *v, size_t n, char *out, size_t cap)
{
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0])
		v++, n -= 2;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, v, n);
	out[n] = '\0';
}

void profile_parse(const char *text, struct profile *ret)
{
	static const char *const ifname_keys[] = { "interface-name", "DEVICE", NULL };
	static const char *const master_keys[] = { "master", "controller", "MASTER", "MASTER_UUID",
						   NULL };
	static const char *const mac_keys[] = { "mac-address", "HWADDR", NULL };
	static const char *const uuid_keys[] = { "uuid", "UUID", NULL };
	struct profile p = { 0 };

	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n"), kl = strcspn(line, "=\n");
		const char *v = line + kl + 1;
		size_t vl = kl < len ? len - kl - 1 : 0;
		char val[PROFILE_ID_MAX];

		if (!strncmp(line, "# Written by pxebond write", 26))
			p.ours = true;
		if (kl < len) {
			value(v, vl, val, sizeof(val));
			for (int i = 0; ifname_keys[i]; i++)
				if (kl == strlen(ifname_keys[i]) &&
				    !strncmp(line, ifname_keys[i], kl) && !p.ifname[0])
					memcpy(p.ifname, val, sizeof(val));
			for (int i = 0; master_keys[i]; i++)
				if (kl == strlen(master_keys[i]) &&
				    !strncmp(line, master_keys[i], kl) &&
				    p.n_master < PROFILE_MASTERS && val[0])
					memcpy(p.master[p.n_master++], val, sizeof(val));
			for (int i = 0; mac_keys[i]; i++)
				if (kl == strlen(mac_keys[i]) && !strncmp(line, mac_keys[i], kl) &&
				    !p.has_mac)
					p.has_mac = mac_parse(val, p.mac);
			for (int i = 0; uuid_keys[i]; i++)
				if (kl == strlen(uuid_keys[i]) &&
				    !strncmp(line, uuid_keys[i], kl) && !p.uuid[0])
					memcpy(p.uuid, val, sizeof(val));
		}
		line += len + (line[len] == '\n');
	}
	*ret = p;
}

bool profile_conflicts(const struct profile *p, const struct model *m,
		       const char (*bond_uuids)[PROFILE_ID_MAX], unsigned n)
{
	bool bond = m->mode != BOND_MODE_SINGLE;

	for (unsigned i = 0; i < p->n_master; i++) {
		if (bond && !strcmp(p->master[i], m->name))
			return true;
		for (unsigned k = 0; k < n; k++)
			if (!strcmp(p->master[i], bond_uuids[k]))
				return true;
	}
	if (p->ifname[0] && !strcmp(p->ifname, m->name))
		return true;
	for (unsigned k = 0; k < m->n_members; k++) {
		if (p->ifname[0] && m->member[k].name[0] && !strcmp(p->ifname, m->member[k].name))
			return true;
		if (p->has_mac && !memcmp(p->mac, m->member[k].mac, 6))
			return true;
	}
	return false;
}
