# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.helpdesk_prepaid_billing.tests.common import (
    PrepaidBillingCommon,
    assert_po_translated,
    create_portal_contact,
)


@tagged("post_install", "-at_install")
class TestWorkTypes(PrepaidBillingCommon, HttpCase):
    """The work type of an entry decides what it takes from the pack."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        TimeType = cls.env["project.time.type"]
        cls.standard = TimeType.create({"name": "Standard"})
        cls.after_hours = TimeType.create(
            {"name": "After hours", "prepaid_multiplier": 1.5}
        )
        cls.on_site = TimeType.create(
            {
                "name": "On site",
                "prepaid_multiplier": 2.0,
                "prepaid_rounding_minimum": 1.0,
            }
        )
        cls.no_charge = TimeType.create(
            {"name": "No charge", "prepaid_billing": "no_charge"}
        )
        cls.project_work = TimeType.create(
            {"name": "Project work", "prepaid_billing": "outside_pack"}
        )
        cls.overage_product = cls._create_overage_product(list_price=100.0)
        cls.team.write(
            {
                "prepaid_time_type_id": cls.standard.id,
                "prepaid_rounding_unit": 0.25,
                "overage_product_id": cls.overage_product.id,
                "show_timesheet_portal": True,
            }
        )
        cls.billing_manager = cls._create_billing_manager("hpb_tt_manager")
        cls.portal_contact = create_portal_contact(
            cls.env, cls.customer, "Paul Dupont", "hpb_tt_portal"
        )
        cls.pack = cls._sell(cls.customer, 10)
        cls.ticket = cls._create_ticket(
            cls.portal_contact, user_id=cls.agent.id, name="VPN drops"
        )

    def _ticket_form(self, user):
        # read afresh as a request of the user does: an agent sees their own
        # timesheets only, not what the test's superuser has in cache
        self.env.invalidate_all()
        # the web client's context: the user's id (which the tab's context
        # uses) and language
        return Form(
            self.ticket.with_user(user).with_context(uid=user.id, lang=user.lang)
        )

    def _log_in_form(self, user, hours, time_type=None, description="Work"):
        """What an agent does: a line in the ticket's Timesheets tab."""
        with (
            self._ticket_form(user) as ticket_form,
            ticket_form.timesheet_ids.new() as line,
        ):
            # the team's work type, until the agent chooses another
            self.assertEqual(line.time_type_id, self.standard)
            line.name = description
            line.unit_amount = hours
            if time_type:
                line.time_type_id = time_type
        return self.ticket.timesheet_ids.filtered(lambda t: t.name == description)

    def test_multiplier_and_rounding(self):
        """After hours ×1.5, on site ×2 with 1 h at least, the team's
        quarter-hour rounding after the multiplier: the pack and Delivered
        show the hours billed, the ticket the hours spent."""
        standard = self._log_in_form(self.agent, 0.6, description="Diagnosis")
        night = self._log_in_form(
            self.agent, 1.0, self.after_hours, description="Night call-out"
        )
        site = self._log_in_form(self.agent, 0.3, self.on_site, description="Visit")
        self.assertRecordValues(
            standard | night | site,
            [
                {"time_type_id": self.standard.id, "billed_hours": 0.75},
                {"time_type_id": self.after_hours.id, "billed_hours": 1.5},
                {"time_type_id": self.on_site.id, "billed_hours": 1.0},
            ],
        )
        self.assertEqual(self.pack.qty_delivered, 3.25)
        self.assertEqual(self.pack.remaining_hours, 6.75)
        self.assertAlmostEqual(self.ticket.total_hours, 1.9)

        # the agent corrects the kind of work: billed anew
        night.with_user(self.agent).time_type_id = self.on_site
        self.assertEqual(night.billed_hours, 2.0)
        self.assertEqual(self.pack.remaining_hours, 6.25)

    def test_no_charge_is_the_managers(self):
        """An agent cannot log time at no charge; a billing manager can: the
        time shows on the ticket, the portal and the statement, and the pack
        keeps its hours."""
        with self.assertRaises(AccessError):
            self._log_in_form(self.agent, 1.0, self.no_charge, description="Mine")
        self.assertFalse(self.ticket.timesheet_ids)

        entry = self._log_in_form(
            self.billing_manager, 1.0, self.no_charge, description="Our mistake"
        )
        self.assertEqual((entry.unit_amount, entry.billed_hours), (1.0, 0.0))
        self.assertEqual(entry.so_line, self.pack, "shown on the pack's statement")
        note = self.ticket.message_ids[:1]
        self.assertIn("as No charge: 0.00 h billed", note.body)
        self.assertEqual(note.author_id, self.billing_manager.partner_id)
        self.assertEqual(self.pack.remaining_hours, 10.0)

        # nor may the agent turn billed time into free time afterwards
        billed = self._log_in_form(self.agent, 1.0, description="Billed")
        with self.assertRaises(AccessError):
            billed.with_user(self.agent).time_type_id = self.no_charge
        self.assertEqual(self.pack.remaining_hours, 9.0)

        self.authenticate("hpb_tt_portal", "hpb_tt_portal")
        page = self.url_open(f"/my/ticket/{self.ticket.id}").text
        self.assertIn("Work Type", page)
        self.assertIn("No charge", page)
        self.assertIn("Standard", page)

        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "helpdesk_prepaid_billing.action_report_prepaid_statement",
                self.pack.ids,
            )[0]
            .decode()
        )
        self.assertIn("Our mistake", html)
        self.assertIn("no charge", html)
        self.assertIn("Standard", html)
        self.assertIn("09:00", html, "closing balance")

    def test_outside_the_pack(self):
        """Project work goes to the overage order while the pack has hours."""
        self.team.prepaid_time_type_id = self.project_work
        entry = self._log_in_form_as_default(2.0)
        self.assertTrue(entry.so_line.order_id.is_prepaid_overage)
        self.assertEqual(entry.so_line.qty_delivered, 2.0)
        self.assertEqual(self.pack.remaining_hours, 10.0)

        # back to a billable type: the pack takes it
        entry.time_type_id = self.standard
        self.assertEqual(entry.so_line, self.pack)
        self.assertEqual(self.pack.remaining_hours, 8.0)

    def test_invoiced_work_stays(self):
        """Once the overage order is invoiced, its time keeps its work type."""
        self.team.prepaid_time_type_id = self.project_work
        entry = self._log_in_form_as_default(2.0)
        entry.so_line.order_id._create_invoices().action_post()
        with self.assertRaises(UserError):
            entry.with_user(self.billing_manager).time_type_id = self.standard
        self.assertEqual(entry.time_type_id, self.project_work)
        self.assertEqual(entry.so_line.qty_invoiced, 2.0)

    def test_who_sets_what_an_hour_bills(self):
        """Project managers keep their work types, but what one bills, and a
        team's default that bills less than the hours spent, are the prepaid
        billing managers' to choose."""
        project_manager = new_test_user(
            self.env,
            login="hpb_tt_project_manager",
            groups="project.group_project_manager,helpdesk_mgmt.group_helpdesk_manager",
        )
        TimeType = self.env["project.time.type"].with_user(project_manager)
        self.assertTrue(TimeType.create({"name": "Meeting"}))
        with self.assertRaises(AccessError):
            TimeType.create({"name": "Cheap", "prepaid_multiplier": 0.5})
        with self.assertRaises(AccessError):
            self.standard.with_user(project_manager).prepaid_multiplier = 0.5
        with self.assertRaises(AccessError):
            self.after_hours.with_user(project_manager).unlink()
        self.standard.with_user(project_manager).name = "Normal"
        team = self.team.with_user(project_manager)
        with self.assertRaises(AccessError):
            team.prepaid_time_type_id = self.no_charge
        team.prepaid_time_type_id = self.after_hours
        self.assertEqual(
            (self.standard.name, self.standard.prepaid_multiplier), ("Normal", 1.0)
        )
        self.assertEqual(self.team.prepaid_time_type_id, self.after_hours)
        # the next entry bills the type's new multiplier
        entry = self._log(self.ticket, 1.0, time_type_id=self.standard.id)
        self.assertEqual(entry.billed_hours, 1.0)
        self.standard.with_user(self.billing_manager).prepaid_multiplier = 1.25
        entry = self._log(self.ticket, 1.0, time_type_id=self.standard.id)
        self.assertEqual(entry.billed_hours, 1.25)

    def _log_in_form_as_default(self, hours):
        with (
            self._ticket_form(self.agent) as ticket_form,
            ticket_form.timesheet_ids.new() as line,
        ):
            line.name = "Project work"
            line.unit_amount = hours
        return self.ticket.timesheet_ids

    def test_over_json_rpc(self):
        """An agent's API call: the work type bills as in the form; no
        charge is refused and nothing is logged."""
        self.authenticate("hpb_agent", "hpb_agent")

        def create(time_type):
            return self.make_jsonrpc_request(
                "/web/dataset/call_kw/account.analytic.line/create",
                {
                    "model": "account.analytic.line",
                    "method": "create",
                    "args": [
                        {
                            "ticket_id": self.ticket.id,
                            "employee_id": self.agent_employee.id,
                            "name": "Over the API",
                            "unit_amount": 2.0,
                            "time_type_id": time_type.id,
                        }
                    ],
                    "kwargs": {},
                },
            )

        entry_id = create(self.after_hours)
        entry = self.env["account.analytic.line"].browse(entry_id)
        self.assertEqual(entry.billed_hours, 3.0)
        with self.assertRaises(JsonRpcException) as error:
            create(self.no_charge)
        self.assertEqual(error.exception.args[0], "odoo.exceptions.AccessError")
        self.assertEqual(self.ticket.timesheet_ids, entry)
        self.assertEqual(self.pack.remaining_hours, 7.0)

    def test_analysis_by_work_type(self):
        """Hours billed, spent and at no charge by work type."""
        self._log_in_form(self.agent, 1.0, self.after_hours, description="Night")
        self._log_in_form(self.agent, 1.0, description="Day")
        self._log_in_form(
            self.billing_manager, 0.5, self.no_charge, description="Mistake"
        )
        rows = self.env["prepaid.hours.report"]._read_group(
            [("pack_id", "=", self.pack.id), ("timesheet_id", "!=", False)],
            ["time_type_id"],
            ["hours_used:sum", "hours_spent:sum", "hours_no_charge:sum"],
        )
        self.assertEqual(
            {time_type.name: figures for time_type, *figures in rows},
            {
                "After hours": [1.5, 1.0, 0.0],
                "Standard": [1.0, 1.0, 0.0],
                "No charge": [0.0, 0.5, 0.5],
            },
        )

    def test_bad_settings(self):
        with self.assertRaises(ValidationError):
            self.after_hours.prepaid_multiplier = 0
        team = self.team.copy({"name": "Projects"})
        team.overage_product_id = False
        with self.assertRaises(ValidationError):
            team.prepaid_time_type_id = self.project_work
        # nor may the team's default become time outside the pack later
        team.prepaid_time_type_id = self.after_hours
        with self.assertRaises(ValidationError):
            self.after_hours.prepaid_billing = "outside_pack"

    def test_french(self):
        """Every string is in French, and a French agent is told in French."""
        assert_po_translated(self, "helpdesk_prepaid_billing_time_type")
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["helpdesk_prepaid_billing_time_type"], ["fr_FR"], overwrite=True
        )
        self.agent.lang = "fr_FR"
        with self.assertRaises(AccessError) as error:
            self._log_in_form(self.agent, 1.0, self.no_charge, description="Mine")
        self.assertIn(
            "Seuls les responsables de la facturation prépayée", str(error.exception)
        )
