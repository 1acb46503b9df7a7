/* libFuzzer target: `write` reads up's state file (state_parse), whose values came partly from the
 * wire (DHCP: address, DNS, domain; LLDP never reaches it), and every emitter renders
 * the model. Whatever the input: no crash, and no emitted byte outside printable ASCII,
 * tab and newline, so nothing from the state can break out of a config file's syntax. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "fsout.h"
#include "model.h"
#include "names.h"
#include "state.h"

static void check_text(const struct emit_out *out)
{
	for (unsigned i = 0; i < out->n; i++) {
		const struct emit_file *f = &out->file[i];

		if (!fsout_path_valid(f->path))
			abort();
		for (size_t k = 0; k < f->len; k++) {
			unsigned char c = (unsigned char)f->text[k];

			if ((c < 0x20 && c != '\n' && c != '\t') || c > 0x7e)
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model m;
	static struct emit_out out;
	static struct state st;
	static const char version[] = "PXEBOND_STATE_VERSION='1'\n";
	struct write_policy pol = { .final = BOND_MODE_AUTO, .is_static = size % 2 == 0 };
	char *text = malloc(sizeof(version) + size), err[2048];

	/* the version first (the input may name another: the last one counts) */
	memcpy(text, version, sizeof(version) - 1);
	memcpy(text + sizeof(version) - 1, data, size);
	text[sizeof(version) - 1 + size] = '\0';
	if (state_parse(text, &st, err, sizeof(err)) == 0 &&
	    model_from_state(&st, &pol, &m, err, sizeof(err)) == 0) {
		if (!names_ifname_safe(m.name) || m.n_members > MODEL_MAX_MEMBERS)
			abort();
		for (const struct emit_format *f = emit_formats; f->name; f++) {
			memset(&out, 0, sizeof(out));
			if (f->emit(&m, &out) == 0)
				check_text(&out);
			emit_out_free(&out);
		}
		/* The old etc/network/interfaces is the target's own file, kept as it was:
		 * only no crash here. */
		memset(&out, 0, sizeof(out));
		emit_ifupdown_interfaces(&m, size % 3 ? text : NULL, &out, &(const char *){ 0 });
		emit_out_free(&out);
	}
	free(text);
	return 0;
}
