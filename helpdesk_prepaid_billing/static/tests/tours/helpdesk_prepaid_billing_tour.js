/* Copyright 2026 helpdesk_prepaid_billing developers
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";
import {waitUntil} from "@odoo/hoot-dom";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

function openAllTickets() {
    return [
        ...stepUtils.goToAppSteps(
            "helpdesk_mgmt.helpdesk_ticket_main_menu",
            "Open the Helpdesk app"
        ),
        {
            content: "Open the Tickets menu",
            trigger: 'button[data-menu-xmlid="helpdesk_mgmt.helpdesk_ticket_menu"]',
            run: "click",
        },
        {
            content: "All tickets",
            trigger:
                '.dropdown-item[data-menu-xmlid="helpdesk_mgmt.helpdesk_all_ticket_menu"]',
            run: "click",
        },
    ];
}

function openTicket(name) {
    return [
        {
            content: `Search the ticket ${name}`,
            trigger: ".o_searchview_input",
            run: `edit ${name}`,
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: `Open the ticket ${name}`,
            trigger: `.o_data_row td[name="name"]:contains("${name}")`,
            run: "click",
        },
    ];
}

function logTime(description, duration) {
    return [
        {
            content: "Open the Timesheets tab",
            trigger: '.o_notebook a[name="timesheets"]',
            run: "click",
        },
        {
            content: "Add a line",
            trigger:
                '.o_field_widget[name="timesheet_ids"] .o_field_x2many_list_row_add a',
            run: "click",
        },
        {
            content: "Describe the work",
            trigger: '.o_data_row.o_selected_row .o_field_widget[name="name"] input',
            run: `edit ${description}`,
        },
        {
            content: `Log ${duration}`,
            trigger:
                '.o_data_row.o_selected_row .o_field_widget[name="unit_amount"] input',
            run: `edit ${duration}`,
        },
        {
            content: "Save the ticket",
            trigger: ".o_form_button_save",
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("helpdesk_prepaid_billing_tour", {
    url: "/odoo",
    steps: () => [
        ...openAllTickets(),
        ...openTicket("Tour: VPN down"),
        {
            content: "The ticket draws on the prepaid pack: 10 hours left",
            trigger: '.o_field_widget[name="remaining_hours_so"]:contains("10:00")',
        },
        {
            content: "The banner says so",
            trigger: '.alert-info:contains("10.00 h left of 10.00 h")',
        },
        ...logTime("Router reset with the customer", "02:30"),
        {
            content: "The remaining hours dropped to 7:30",
            trigger:
                '.o_form_saved .o_field_widget[name="remaining_hours_so"]:contains("07:30")',
        },
        {
            content: "The banner follows",
            trigger: '.alert-info:contains("7.50 h left of 10.00 h")',
        },
        {
            content: "Open the sales order",
            trigger: '.o_field_widget[name="sale_order_id"] a',
            run: "click",
        },
        {
            content: "The order line shows 2.5 hours delivered",
            trigger:
                '.o_field_widget[name="order_line"] .o_data_row td[name="qty_delivered"]:contains("2.50")',
        },
    ],
});

registry.category("web_tour.tours").add("helpdesk_prepaid_billing_policies_tour", {
    url: "/odoo",
    steps: () => [
        ...openAllTickets(),
        ...openTicket("Tour: blocked"),
        {
            content: "Half an hour is left",
            trigger: '.alert-info:contains("0.50 h left of 2.00 h")',
        },
        ...logTime("Long call", "01:00"),
        {
            content: "The block policy refuses the hour",
            trigger: '.modal:contains("Only 0.50 h of prepaid hours are left")',
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Discard the line",
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        {
            content: "Back to the tickets",
            trigger: ".o_back_button, .breadcrumb-item:not(.active) a",
            run: "click",
        },
        {
            content: "Remove the search",
            trigger: ".o_searchview_facet .o_facet_remove",
            run: "click",
        },
        ...openTicket("Tour: overage"),
        {
            content: "One hour is left",
            trigger: '.alert-info:contains("1.00 h left of 1.00 h")',
        },
        ...logTime("Migration", "01:30"),
        {
            content: "The half hour beyond the pack is billed as overage",
            trigger:
                '.o_form_saved .alert-danger:contains("Over by 0.50 h, billed as overage.")',
        },
    ],
});

registry.category("web_tour.tours").add("helpdesk_prepaid_billing_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the prepaid hours from the portal home",
            trigger: 'a[href="/my/prepaid-hours"]',
            run: "click",
        },
        {
            content: "The pack shows 6:30 left",
            trigger: ".o_prepaid_pack .o_prepaid_left:contains(06:30)",
        },
        {
            content: "The statement can be downloaded",
            trigger: '.o_prepaid_pack a.o_prepaid_statement[href$="/statement"]',
        },
        {
            content: "Open the ticket that used the pack",
            trigger: '.o_prepaid_pack a:contains("Portal: printer jammed")',
            run: "click",
        },
        {
            content: "The ticket shows the time and the pack's balance",
            trigger: '.o_prepaid_ticket_balance:contains("6.50 h left of 10.00 h")',
        },
    ],
});

registry.category("web_tour.tours").add("helpdesk_prepaid_billing_buy_tour", {
    url: "/my/prepaid-hours",
    steps: () => [
        {
            content: "Buy more hours",
            trigger: "a.o_prepaid_buy",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Choose the 10 h pack of support",
            trigger:
                '.o_prepaid_product:contains("Top-up pack") button.o_prepaid_size[data-hours="10"]',
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Sign & Pay the quotation",
            trigger: ".o_portal_sale_sidebar .btn-primary",
            run: "click",
        },
        {
            content: "Sign with the customer's name",
            trigger: ".modal .o_web_sign_name_and_signature input",
            run: "fill Tina Tour",
        },
        {
            content: "Wait for the signature drawn from the name",
            trigger: ".modal canvas.o_web_sign_signature",
            async run(helpers) {
                await waitUntil(() => {
                    const canvas = helpers.anchor;
                    const context = canvas.getContext("2d");
                    const pixels = new Uint32Array(
                        context.getImageData(
                            0,
                            0,
                            canvas.width,
                            canvas.height
                        ).data.buffer
                    );
                    return pixels.some((pixel) => pixel !== 0);
                });
            },
        },
        {
            content: "Accept and sign",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Enter the demo payment details",
            trigger: "#customer_input",
            run: "fill 4111 1111 1111 1111",
        },
        {
            content: "Pay",
            trigger: 'button[name="o_payment_submit_button"]:enabled',
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The order is confirmed by the payment",
            trigger: "#quote_content:contains(Sales Order)",
        },
        {
            content: "Back to the prepaid hours",
            trigger: "body",
            run: () => {
                window.location.href = "/my/prepaid-hours";
            },
            expectUnloadPage: true,
        },
        {
            content: "Open the ticket that waited for hours",
            trigger: '.o_prepaid_pack a:contains("Tour: waiting for hours")',
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket now uses the pack just bought",
            trigger: '.o_prepaid_ticket_balance:contains("8.50 h left of 10.00 h")',
        },
    ],
});
