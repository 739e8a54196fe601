//! What the generated seller sells: goods and services with real HSN/SAC codes, units from
//! the UQC master, rates from the GST rate master, and plausible prices.
//!
//! Codes are 8-digit HSN (goods) and 6-digit SAC (services, `99…`): suppliers above ₹5 Cr
//! AATO may not use 4-digit codes, and the harness's default supplier is far above that.
//! Each rate is the one the code carries in the GST rate schedules, picked where it stayed
//! the same through the September 2025 rate changes, so the invoices stay plausible whatever
//! the document date.

use super::money::Rate;

/// One thing the seller sells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Product {
    /// HSN or SAC code.
    pub(super) hsn: &'static str,
    /// `PrdDesc`.
    pub(super) description: &'static str,
    /// UQC unit; services may leave it out.
    pub(super) unit: &'static str,
    /// GST rate.
    pub(super) rate: Rate,
    /// Unit price range in whole rupees.
    pub(super) price: (i64, i64),
    /// Largest quantity on one line.
    pub(super) max_qty: u32,
    /// Whether the quantity has decimals (weights, lengths, volumes).
    pub(super) fractional: bool,
}

const fn goods(
    hsn: &'static str,
    description: &'static str,
    unit: &'static str,
    rate: u32,
    price: (i64, i64),
    max_qty: u32,
    fractional: bool,
) -> Product {
    Product {
        hsn,
        description,
        unit,
        rate: Rate(rate),
        price,
        max_qty,
        fractional,
    }
}

const fn service(
    hsn: &'static str,
    description: &'static str,
    rate: u32,
    price: (i64, i64),
) -> Product {
    Product {
        hsn,
        description,
        unit: "OTH",
        rate: Rate(rate),
        price,
        max_qty: 12,
        fractional: false,
    }
}

/// Goods: rates 0.25, 1.5, 3, 5 and 18 %.
#[rustfmt::skip]
pub(super) const GOODS: &[Product] = &[
    goods("84713010", "LAPTOP COMPUTER 14 INCH CORE I5 16GB RAM 512GB SSD", "NOS", 1800, (42_000, 78_000), 20, false),
    goods("84716060", "USB KEYBOARD AND MOUSE COMBO", "NOS", 1800, (650, 1_800), 100, false),
    goods("85176290", "DUAL BAND WIFI ROUTER", "NOS", 1800, (1_800, 6_500), 50, false),
    goods("85423100", "MICROCONTROLLER IC 32 BIT", "NOS", 1800, (40, 450), 5_000, false),
    goods("85444999", "COPPER ELECTRIC CABLE 4 SQ MM", "MTR", 1800, (38, 95), 2_000, true),
    goods("85371000", "ELECTRICAL CONTROL PANEL 415V", "NOS", 1800, (28_000, 160_000), 5, false),
    goods("84818030", "BRASS BALL VALVE 25 MM", "NOS", 1800, (280, 900), 200, false),
    goods("84139190", "CENTRIFUGAL PUMP IMPELLER", "NOS", 1800, (1_500, 9_000), 40, false),
    goods("73181500", "HEX BOLTS AND NUTS ZINC PLATED", "KGS", 1800, (95, 180), 500, true),
    goods("72142090", "TMT STEEL BARS FE 500D 12 MM", "MTS", 1800, (52_000, 64_000), 25, true),
    goods("73269099", "MS FABRICATED MOUNTING BRACKET", "PCS", 1800, (120, 850), 400, false),
    goods("39233090", "HDPE JERRY CAN 20 LITRE", "NOS", 1800, (110, 260), 500, false),
    goods("39269099", "PLASTIC STORAGE CRATE", "PCS", 1800, (180, 650), 300, false),
    goods("48191010", "CORRUGATED SHIPPING CARTON 5 PLY", "NOS", 1800, (18, 65), 5_000, false),
    goods("70109000", "AMBER GLASS BOTTLE 750 ML", "NOS", 1800, (9, 24), 10_000, false),
    goods("94036000", "WOODEN OFFICE TABLE WITH DRAWERS", "NOS", 1800, (6_500, 24_000), 15, false),
    goods("10063020", "BASMATI RICE 25 KG BAG", "BAG", 500, (1_600, 3_200), 200, false),
    goods("09024020", "PACKED BLACK TEA", "KGS", 500, (280, 620), 500, true),
    goods("15079010", "REFINED SOYABEAN OIL", "LTR", 500, (105, 160), 1_000, true),
    goods("17019990", "REFINED SUGAR", "QTL", 500, (3_800, 4_600), 100, true),
    goods("61091000", "COTTON ROUND NECK T-SHIRT", "PCS", 500, (180, 950), 500, false),
    goods("71131910", "GOLD JEWELLERY 22 CARAT", "GMS", 300, (6_200, 7_400), 200, true),
    goods("71023910", "CUT AND POLISHED DIAMOND", "PCS", 150, (25_000, 150_000), 20, false),
    goods("71023100", "ROUGH DIAMOND NON-INDUSTRIAL", "PCS", 25, (8_000, 60_000), 30, false),
];

/// Services (SAC `99…`): rates 5 and 18 %.
#[rustfmt::skip]
pub(super) const SERVICES: &[Product] = &[
    service("998313", "IT SUPPORT AND CONSULTING SERVICES", 1800, (1_500, 6_000)),
    service("998314", "SOFTWARE DEVELOPMENT SERVICES", 1800, (2_500, 9_000)),
    service("998316", "NETWORK MANAGEMENT SERVICES", 1800, (8_000, 45_000)),
    service("998311", "MANAGEMENT CONSULTING SERVICES", 1800, (15_000, 90_000)),
    service("997212", "RENTING OF COMMERCIAL OFFICE SPACE", 1800, (45_000, 350_000)),
    service("998719", "ANNUAL MAINTENANCE OF PLANT EQUIPMENT", 1800, (12_000, 80_000)),
    service("998222", "ACCOUNTING AND BOOKKEEPING SERVICES", 1800, (5_000, 40_000)),
    service("999293", "CORPORATE TRAINING PROGRAMME", 1800, (8_000, 60_000)),
    service("996511", "GOODS TRANSPORT AGENCY SERVICES", 500, (6_000, 55_000)),
];
