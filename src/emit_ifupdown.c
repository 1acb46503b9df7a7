/* ifupdown + ifenslave: etc/network/interfaces.d/BOND with bond-* options (those Debian
 * 12's ifenslave scripts set) and hwaddress. ifupdown knows interfaces by name only, so
 * each member keeps its installer name, pinned to its permanent MAC by a systemd .link
 * file; and etc/network/interfaces must source interfaces.d/ without configuring those
 * names itself. Pure. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

/* What /etc/network/if-pre-up.d/ifenslave (ifenslave 2.13) sets. */
static bool ifenslave_sets(enum bond_opt o)
{
	switch (o) {
	case BOND_OPT_MODE:
	case BOND_OPT_MIIMON:
	case BOND_OPT_UPDELAY:
	case BOND_OPT_DOWNDELAY:
	case BOND_OPT_USE_CARRIER:
	case BOND_OPT_ARP_INTERVAL:
	case BOND_OPT_ARP_VALIDATE:
	case BOND_OPT_PRIMARY:
	case BOND_OPT_PRIMARY_RESELECT:
	case BOND_OPT_FAIL_OVER_MAC:
	case BOND_OPT_XMIT_HASH_POLICY:
	case BOND_OPT_NUM_PEER_NOTIF:
	case BOND_OPT_PACKETS_PER_SLAVE:
	case BOND_OPT_LACP_RATE:
	case BOND_OPT_AD_SELECT:
	case BOND_OPT_TLB_DYNAMIC_LB:
		return true;
	default:
		return false;
	}
}

/* "xmit_hash_policy" -> "bond-xmit-hash-policy" */
static void option_name(enum bond_opt o, char *out, size_t cap)
{
	snprintf(out, cap, "bond-%s", emit_sysfs_name(o));
	for (char *p = out; *p; p++)
		if (*p == '_')
			*p = '-';
}

static bool is_kernel_eth_name(const char *s)
{
	if (strncmp(s, "eth", 3) != 0 || !s[3])
		return false;
	for (s += 3; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static void link_file(struct emit_out *out, const struct model_member *mm)
{
	char mac[MAC_STR_LEN];
	struct emit_file *f =
	    emit_file_add(out, 0644, "etc/systemd/network/10-pxebond-%s.link", mm->name);

	mac_to_str(mac, mm->mac);
	emit_printf(
	    out, f,
	    "# Written by pxebond write: ifupdown knows interfaces by name only, so the NIC\n"
	    "# that was %s in the installer keeps that name.\n",
	    mm->name);
	emit_printf(out, f, "[Match]\nPermanentMACAddress=%s\n\n[Link]\nName=%s\n", mac, mm->name);
}

int emit_ifupdown(const struct model *m, struct emit_out *out)
{
	struct emit_file *f;
	char opt[48];
	bool eth = false;

	for (unsigned k = 0; k < m->n_members; k++)
		if (!m->member[k].name[0]) {
			char mac[MAC_STR_LEN];

			mac_to_str(mac, m->member[k].mac);
			return emit_fail(out,
					 "ifupdown: member %s has no name pxebond can write, and "
					 "ifupdown knows interfaces by name only",
					 mac);
		}

	f = emit_file_add(out, 0644, "etc/network/interfaces.d/%s", m->name);
	emit_header(out, f, m);
	emit_printf(out, f,
		    "# ifupdown knows interfaces by name only: %s keep%s the installer's "
		    "name%s,\n# pinned to %s permanent MAC%s by "
		    "/etc/systemd/network/10-pxebond-*.link.\n",
		    m->n_members == 1 ? "this NIC" : "the members", m->n_members == 1 ? "s" : "",
		    m->n_members == 1 ? "" : "s", m->n_members == 1 ? "its" : "their",
		    m->n_members == 1 ? "" : "s");
	emit_printf(out, f, "auto %s\niface %s inet %s\n", m->name, m->name,
		    m->dhcp ? "dhcp" : "static");
	if (!m->dhcp) {
		emit_printf(out, f, "\taddress %s/%u\n", m->address, m->prefix);
		if (m->mtu)
			emit_printf(out, f, "\tmtu %u\n", m->mtu);
		if (m->gateway[0])
			emit_printf(out, f, "\tgateway %s\n", m->gateway);
		/* read by resolvconf when it is installed, ignored otherwise */
		EMIT_JOIN(out, f, "\tdns-nameservers ", m->dns, m->n_dns, " ", "\n");
		EMIT_JOIN(out, f, "\tdns-search ", m->search, m->n_search, " ", "\n");
	}
	if (m->mode != BOND_MODE_SINGLE) {
		char mac[MAC_STR_LEN];

		emit_printf(out, f, "\tbond-slaves");
		for (unsigned k = 0; k < m->n_members; k++)
			emit_printf(out, f, " %s", m->member[k].name);
		emit_printf(out, f, "\n");
		for (int i = 0; i < _BOND_OPT_MAX; i++) {
			char v[32];

			if (!m->opts.set[i])
				continue;
			if (!ifenslave_sets((enum bond_opt)i)) {
				emit_warn(out, "ifupdown: ifenslave does not set %s, left out",
					  bond_opt_defs[i].name);
				continue;
			}
			option_name((enum bond_opt)i, opt, sizeof(opt));
			bond_opts_value_str(&m->opts, (enum bond_opt)i, v, sizeof(v));
			emit_printf(out, f, "\t%s %s\n", opt, v);
		}
		mac_to_str(mac, m->mac);
		emit_printf(out, f, "\thwaddress ether %s\n", mac);
	}
	for (unsigned k = 0; k < m->n_members; k++) {
		link_file(out, &m->member[k]);
		eth = eth || is_kernel_eth_name(m->member[k].name);
	}
	emit_warn(out,
		  "ifupdown: uses the installer's interface names (%s%s), pinned to the permanent "
		  "MACs by .link files%s",
		  m->member[0].name, m->n_members > 1 ? ", ..." : "",
		  eth ? "; names of the kernel's own ethN series can collide with another NIC's "
			"at boot"
		      : "");
	return emit_out_status(out);
}

/* The words of one line, after leading white space. */
static size_t words(const char *line, size_t len, char w[][IF_NAMESIZE + 32], size_t max)
{
	size_t n = 0, i = 0;

	while (n < max) {
		size_t start, l;

		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i >= len || line[i] == '#')
			break;
		start = i;
		while (i < len && line[i] != ' ' && line[i] != '\t')
			i++;
		l = i - start < IF_NAMESIZE + 31 ? i - start : IF_NAMESIZE + 31;
		memcpy(w[n], line + start, l);
		w[n++][l] = '\0';
	}
	return n;
}

static bool ours(const struct model *m, const char *name)
{
	if (!strcmp(name, m->name))
		return true;
	for (unsigned k = 0; k < m->n_members; k++)
		if (!strcmp(name, m->member[k].name))
			return true;
	return false;
}

static bool sources_dir(char w[][IF_NAMESIZE + 32], size_t n)
{
	if (n != 2)
		return false;
	if (!strcmp(w[0], "source"))
		return !strcmp(w[1], "/etc/network/interfaces.d/*") ||
		       !strcmp(w[1], "interfaces.d/*");
	/* source-directory takes only names of [A-Za-z0-9_-]: our files are such names */
	if (!strcmp(w[0], "source-directory"))
		return !strcmp(w[1], "/etc/network/interfaces.d") ||
		       !strcmp(w[1], "/etc/network/interfaces.d/") ||
		       !strcmp(w[1], "interfaces.d") || !strcmp(w[1], "interfaces.d/");
	return false;
}

int emit_ifupdown_interfaces(const struct model *m, const char *old, struct emit_out *out,
			     const char **ret_why)
{
	static const char src_line[] = "source /etc/network/interfaces.d/*\n";
	struct emit_file *f;
	bool sourced = false, in_ours = false, conflict = false;
	const char *p;

	*ret_why = NULL;
	if (!old) {
		f = emit_file_add(out, 0644, "etc/network/interfaces");
		emit_printf(out, f,
			    "# Written by pxebond write: the bond's own file is in interfaces.d/.\n"
			    "%s\nauto lo\niface lo inet loopback\n",
			    src_line);
		*ret_why = "it did not exist";
		return emit_out_status(out);
	}
	f = emit_file_add(out, 0644, "etc/network/interfaces");
	for (p = old; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char w[64][IF_NAMESIZE + 32];
		size_t n = words(p, len, w, 64);
		bool stanza =
		    n >= 1 && (!strcmp(w[0], "iface") || !strcmp(w[0], "auto") ||
			       !strncmp(w[0], "allow-", 6) || !strcmp(w[0], "mapping") ||
			       !strcmp(w[0], "source") || !strcmp(w[0], "source-directory") ||
			       !strcmp(w[0], "rename") || !strcmp(w[0], "no-auto-down") ||
			       !strcmp(w[0], "no-scripts"));

		bool lists = n >= 2 && (!strcmp(w[0], "auto") || !strncmp(w[0], "allow-", 6));
		bool hit = false;

		if (stanza)
			in_ours = n >= 2 && !strcmp(w[0], "iface") && ours(m, w[1]);
		if (sources_dir(w, n))
			sourced = true;
		for (size_t i = 1; lists && i < n; i++)
			hit = hit || ours(m, w[i]);
		if (in_ours || hit) {
			/* Our stanzas are commented out; our names leave auto/allow-* lists. */
			size_t kept = 0;

			emit_printf(out, f, "# pxebond write: %.*s\n", (int)len, p);
			for (size_t i = 1; hit && i < n; i++)
				if (!ours(m, w[i]))
					emit_printf(out, f, "%s %s", kept++ ? "" : w[0], w[i]);
			if (kept)
				emit_printf(out, f, "\n");
			conflict = true;
		} else {
			emit_printf(out, f, "%.*s\n", (int)len, p);
		}
		p = nl ? nl + 1 : p + len;
	}
	if (!sourced)
		emit_printf(out, f, "\n# Added by pxebond write: the bond's own file is there.\n%s",
			    src_line);
	if (sourced && !conflict) {
		free(f->text);
		out->n--;
		return emit_out_status(out);
	}
	*ret_why = !sourced && conflict ? "it does not source interfaces.d/ and configures the "
					  "bond's interfaces itself"
		   : !sourced		? "it does not source interfaces.d/"
					: "it configures the bond's interfaces itself";
	return emit_out_status(out);
}
