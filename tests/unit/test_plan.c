/* Grouping by LACP partner and the decision, on made-up probe results. */
#include "plan.h"
#include "unit.h"

static struct probe_result res;

static void nic(unsigned i, const char *name, bool carrier, uint32_t speed, int partner)
{
	struct probe_nic *n = &res.nic[i];

	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->carrier = carrier;
	n->speed_mbps = speed;
	if (partner > 0) {
		n->lacp_detected = true;
		n->partner = (struct lacp_info){ .system_priority = 32768,
						 .key = (uint16_t)partner,
						 .system = { 0x02, 0, 0, 0, 0, (uint8_t)partner } };
	}
	if (i >= res.n)
		res.n = i + 1;
}

static void reset(void)
{
	memset(&res, 0, sizeof(res));
}

static void one_lag(void)
{
	struct plan pl;

	reset();
	nic(0, "eth0", true, 1000, 1);
	nic(1, "eth1", true, 1000, 1);
	nic(2, "eth2", false, 0, 0);
	plan_decide(&res, &pl);
	CHECK(pl.mode == BOND_MODE_8023AD);
	CHECK(pl.n_groups == 1 && pl.group[0].n == 2);
	CHECK(pl.n_members == 2 && pl.n_primary == 2);
	CHECK(strstr(pl.reason, "eth0,eth1 reach LACP partner 02:00:00:00:00:01 key 1") != NULL);
}

/* Even one NIC on a LACP port goes 802.3ad: a strict LAG forwards nothing otherwise. */
static void lone_lacp(void)
{
	struct plan pl;

	reset();
	nic(0, "eth0", true, 1000, 0);
	nic(1, "eth1", true, 1000, 7);
	plan_decide(&res, &pl);
	CHECK(pl.mode == BOND_MODE_8023AD);
	CHECK(pl.n_members == 1 && pl.member[0] == 1);
	CHECK(strstr(pl.reason, "eth0 has no LACP partner, left out") != NULL);
}

/* Two switches that are not stacked: the group with more members is primary, then
 * the faster one; the other is standby in the same bond. */
static void separate_partners(void)
{
	struct plan pl;

	reset();
	nic(0, "eth0", true, 10000, 1);
	nic(1, "eth1", true, 1000, 2);
	nic(2, "eth2", true, 1000, 2);
	plan_decide(&res, &pl);
	CHECK(pl.mode == BOND_MODE_8023AD && pl.n_groups == 2);
	CHECK(pl.group[0].n == 2 && pl.group[0].partner.key == 2);
	CHECK(pl.n_members == 3 && pl.n_primary == 2);
	CHECK(pl.member[0] == 1 && pl.member[1] == 2 && pl.member[2] == 0);
	CHECK(strstr(pl.reason, "primary (most members)") != NULL);

	reset();
	nic(0, "eth0", true, 1000, 1);
	nic(1, "eth1", true, 25000, 2);
	plan_decide(&res, &pl);
	CHECK(pl.group[0].partner.key == 2 && pl.n_primary == 1 && pl.member[0] == 1);
	CHECK(strstr(pl.reason, "most speed") != NULL);
}

/* Same system, different key: two aggregations (two LAGs on one switch). */
static void same_system_other_key(void)
{
	struct plan pl;

	reset();
	nic(0, "eth0", true, 1000, 1);
	nic(1, "eth1", true, 1000, 1);
	res.nic[1].partner.key = 99;
	plan_decide(&res, &pl);
	CHECK(pl.n_groups == 2);
}

static void no_lacp(void)
{
	struct plan pl;

	reset();
	nic(0, "eth0", true, 1000, 0);
	nic(1, "eth1", true, 10000, 0);
	nic(2, "eth2", false, 0, 0);
	plan_decide(&res, &pl);
	CHECK(pl.mode == BOND_MODE_ACTIVE_BACKUP && pl.n_groups == 0);
	CHECK(pl.n_members == 2 && pl.member[0] == 1); /* fastest is active */

	reset();
	nic(0, "eth0", false, 0, 0);
	nic(1, "eth1", true, 1000, 0);
	plan_decide(&res, &pl);
	CHECK(pl.mode == BOND_MODE_SINGLE && pl.n_members == 1 && pl.member[0] == 1);

	reset();
	nic(0, "eth0", false, 0, 0);
	plan_decide(&res, &pl);
	CHECK(pl.mode == BOND_MODE_NONE && pl.n_members == 0);
	CHECK_STR(pl.reason, "no NIC has carrier");
}

/* A partner seen on a NIC whose carrier later dropped does not count. */
static void partner_without_carrier(void)
{
	struct plan pl;

	reset();
	nic(0, "eth0", false, 0, 1);
	nic(1, "eth1", true, 1000, 0);
	plan_decide(&res, &pl);
	CHECK(pl.mode == BOND_MODE_SINGLE);
}

/* up's join window: a NIC without carrier is late; one whose partner answered after the
 * bond formed (probe_settle) is late too, grouped with its partner and said so. */
static void late_nics(void)
{
	struct plan pl;

	reset();
	nic(0, "eth0", true, 1000, 1);
	nic(1, "eth1", false, 0, 0);
	res.nic[1].late = true;
	nic(2, "eth2", true, 1000, 2);
	res.nic[2].late = true;
	nic(3, "eth3", true, 1000, 0);
	plan_decide(&res, &pl);
	CHECK(pl.mode == BOND_MODE_8023AD && pl.n_groups == 2);
	CHECK(strstr(pl.reason, "eth1 has no carrier yet: enslaved late") != NULL);
	CHECK(strstr(pl.reason, "eth2 answered only after the bond formed: enslaved late") != NULL);
	CHECK(strstr(pl.reason, "eth3 has no LACP partner, left out") != NULL);
}

static void many_groups_reason_bounded(void)
{
	struct plan pl;

	reset();
	for (unsigned i = 0; i < PROBE_MAX_NICS; i++) {
		char name[16];

		snprintf(name, sizeof(name), "enp%us0f0np0", i);
		nic(i, name, true, 1000, (int)(i + 1));
	}
	plan_decide(&res, &pl);
	CHECK(pl.n_groups == PROBE_MAX_NICS);
	CHECK(strlen(pl.reason) < sizeof(pl.reason));
}

const struct unit_test plan_tests[] = {
	{ "plan: one LAG", one_lag },
	{ "plan: a lone LACP port goes 802.3ad", lone_lacp },
	{ "plan: separate partners, primary by members then speed", separate_partners },
	{ "plan: same system, other key", same_system_other_key },
	{ "plan: no LACP: active-backup, single, none", no_lacp },
	{ "plan: partner without carrier ignored", partner_without_carrier },
	{ "plan: 64 groups, reason bounded", many_groups_reason_bounded },
	{ "plan: late NICs (no carrier yet, or answered after the bond formed)", late_nics },
	{ 0 },
};
