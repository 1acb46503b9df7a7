/* names.c and mac.c: the whitelists every name and address passes before it reaches a
 * config file, a script or the state. */
#include "mac.h"
#include "names.h"
#include "unit.h"

static bool ipv4(const char *s)
{
	return names_ipv4_parse(s, NULL);
}

static void whitelists(void)
{
	uint8_t mac[6];

	CHECK(ipv4("192.0.2.1") && ipv4("0.0.0.0"));
	CHECK(!ipv4("01.2.3.4") && !ipv4("256.1.1.1"));
	CHECK(!ipv4("1.2.3") && !ipv4("1.2.3.4 ") && !ipv4("1.2.3.4.5") && !ipv4("") &&
	      !ipv4("1..2.3"));
	CHECK(names_domain_valid("example.com") && names_domain_valid("a-b.c0.") &&
	      names_domain_valid("localdomain"));
	CHECK(!names_domain_valid("-a.com") && !names_domain_valid("a-.com") &&
	      !names_domain_valid("a..b") && !names_domain_valid(".a") &&
	      !names_domain_valid("a_b.com") && !names_domain_valid("a b") &&
	      !names_domain_valid("x$(y)"));
	CHECK(names_ifname_safe("bond0") && names_ifname_safe("enp3s0f1") &&
	      names_ifname_safe("b_1.2-x"));
	CHECK(!names_ifname_safe("b$(x)") && !names_ifname_safe("-x") && !names_ifname_safe(".x") &&
	      !names_ifname_safe("a\"b") && !names_ifname_safe("0123456789abcdef") &&
	      !names_ifname_safe(""));
	CHECK(mac_parse_unicast("52:54:00:AB:cd:01", mac) && mac[3] == 0xab);
	CHECK(!mac_parse_unicast("01:00:5e:00:00:01", mac) &&
	      !mac_parse_unicast("00:00:00:00:00:00", mac));
	CHECK(!mac_parse_unicast("52:54:00:ab:cd:0", mac) &&
	      !mac_parse_unicast("52-54-00-ab-cd-01", mac));
}

static void ipv4_values(void)
{
	uint32_t ip = 0;

	CHECK(names_ipv4_parse("192.0.2.1", &ip) && ip == 0xc0000201);
	CHECK(names_ipv4_parse("255.255.255.255", &ip) && ip == 0xffffffff);
	CHECK(!names_ipv4_parse("192.0.2.1;reboot", &ip));
}

static void printable(void)
{
	CHECK(names_printable("pxelinux.0", 255) && names_printable("", 1));
	CHECK(!names_printable("a\nb", 255) && !names_printable("\x7f", 255) &&
	      !names_printable("\xc3\xa9", 255) && !names_printable("abcd", 3));
}

static void macs(void)
{
	uint8_t m[6] = { 0 };
	char s[MAC_STR_LEN];

	CHECK(mac_parse("01:00:5e:00:00:01", m) && m[0] == 1); /* any address */
	mac_to_str(s, m);
	CHECK_STR(s, "01:00:5e:00:00:01");
	CHECK(!mac_parse("01:00:5e:00:00:0", m) && !mac_parse("01:00:5e:00:00:001", m) &&
	      !mac_parse("01-00-5e-00-00-01", m) && !mac_parse("0g:00:5e:00:00:01", m));
	CHECK(mac_is_zero((const uint8_t[6]){ 0 }) && !mac_is_zero(m));
}

const struct unit_test names_tests[] = {
	{ "names: whitelists of names and addresses", whitelists },
	{ "names: IPv4 values", ipv4_values },
	{ "names: printable text", printable },
	{ "mac: text, parsing, zero", macs },
	{ 0 },
};
