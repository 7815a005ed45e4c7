# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PrepaidBillingCommon, assert_po_translated


@tagged("post_install", "-at_install")
class TestFrench(PrepaidBillingCommon):
    def test_french_translation(self):
        """Every string is translated in French with the same placeholders,
        and French users get French labels and errors."""
        assert_po_translated(self, "helpdesk_prepaid_billing")

        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["helpdesk_prepaid_billing"], ["fr_FR"], overwrite=True
        )
        env_fr = self.env(context=dict(self.env.context, lang="fr_FR"))
        fields_fr = env_fr["helpdesk.ticket.team"].fields_get(
            ["use_helpdesk_sale_timesheet"]
        )
        self.assertEqual(
            fields_fr["use_helpdesk_sale_timesheet"]["string"],
            "Refacturation du temps",
        )
        foreign = self._sell(self.other_customer, 5)
        ticket = self._create_ticket(self.customer).with_env(env_fr)
        with self.assertRaises(ValidationError) as error:
            ticket.sale_line_id = foreign
        self.assertIn("ne peut pas utiliser le poste de commande", str(error.exception))
        self.assertIn("Martin SARL", str(error.exception))

    def test_alert_email_in_the_customers_language(self):
        """A French customer's alert email is in French, whatever the language
        of the agent who logged the time."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["helpdesk_prepaid_billing"], ["fr_FR"], overwrite=True
        )
        self.customer.lang = "fr_FR"
        self.team.write({"prepaid_alert_thresholds": "50", "prepaid_alert_email": True})
        pack = self._sell(self.customer, 10)
        ticket = self._create_ticket(self.customer)
        self.assertEqual(self.env.user.lang, "en_US")
        self._log(ticket, 6)
        email = pack.order_id.message_ids.filtered(
            lambda m: self.customer in m.partner_ids
        )[:1]
        self.assertIn("4,00 h restantes sur 10,00 h", str(email.body))

    def test_renewal_in_french(self):
        """The auto-renewal email reaches a French customer in French, and the
        portal's top-up page speaks French."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["helpdesk_prepaid_billing"], ["fr_FR"], overwrite=True
        )
        self.customer.lang = "fr_FR"
        self.product_pack.prepaid_auto_renew = True
        pack = self._sell(self.customer, 2)
        self._log(self._create_ticket(self.customer), 2)
        email = pack.prepaid_renewal_line_ids.order_id.message_ids.filtered(
            lambda m: self.customer in m.partner_ids
        )
        self.assertIn(
            "vos heures d'assistance prépayées ont été renouvelées", email.subject
        )
        self.assertIn("renouvelées comme convenu", str(email.body))
        env_fr = self.env(context=dict(self.env.context, lang="fr_FR"))
        fields_fr = env_fr["product.template"].fields_get(["prepaid_rollover"])
        self.assertEqual(
            fields_fr["prepaid_rollover"]["string"], "Reporter les heures inutilisées"
        )
