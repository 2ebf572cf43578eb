/// The SYSPRO tables the connector reads, with the columns it uses plus a few neighbours the
/// demo data fills, every one found in the published SYSPRO schema dumps
/// (docs/vendors/syspro.md, "Columns the connector reads"): nothing invented, so a `$select`
/// of a column SYSPRO lacks is refused here as it would be there. Column names and types are
/// the database's; `TimeStamp` is added to every table by `Table`.
enum SysproSchema {
    static func emptyTables() -> [Table] {
        [
            Table("InvMaster", key: ["StockCode"], columns: [
                ("StockCode", .string), ("Description", .string), ("LongDesc", .string),
                ("StockUom", .string), ("ProductClass", .string), ("WarehouseToUse", .string),
                // Sites keep the UPC in Barcode or in AlternateKey1 (inventory.barcode_field).
                ("AlternateKey1", .string), ("Barcode", .string), ("Mass", .decimal), ("Supplier", .string),
            ]),
            Table("InvWarehouse", key: ["StockCode", "Warehouse"], columns: [
                ("StockCode", .string), ("Warehouse", .string), ("QtyOnHand", .decimal),
                ("QtyAllocated", .decimal), ("QtyOnOrder", .decimal), ("QtyInTransit", .decimal),
            ]),
            // docs/vendors/syspro.md, "Warehouses: InvWhControl".
            Table("InvWhControl", key: ["Warehouse"], columns: [
                ("Warehouse", .string), ("Description", .string),
            ]),
            Table("InvPrice", key: ["StockCode", "PriceCode"], columns: [
                ("StockCode", .string), ("PriceCode", .string), ("SellingPrice", .decimal),
                ("PriceBasis", .string),
            ]),
            Table("InvMovements", key: ["StockCode", "Warehouse", "EntryDate", "MovementType", "Journal", "JournalEntry"], columns: [
                ("StockCode", .string), ("Warehouse", .string), ("EntryDate", .date),
                ("MovementType", .string), ("TrnType", .string), ("TrnQty", .decimal),
                ("Journal", .int), ("JournalEntry", .int), ("Reference", .string),
            ]),
            Table("ArCustomer", key: ["Customer"], columns: [
                ("Customer", .string), ("Name", .string), ("Email", .string), ("Telephone", .string),
                ("Contact", .string), ("Currency", .string), ("CustomerClass", .string), ("TermsCode", .string),
            ]),
            // Customer amendment journal: the columns one public reporting script reads
            // (docs/vendors/syspro.md, "Customer changes: the amendment journal").
            Table("ArAmendmentJnl", key: ["Customer", "JnlDate", "JnlTime", "ColumnName"], columns: [
                ("Customer", .string), ("JnlDate", .date), ("JnlTime", .int), ("OperatorCode", .string),
                ("ColumnName", .string), ("Before", .string), ("ChangeFlag", .string),
            ]),
            Table("SorMaster", key: ["SalesOrder"], columns: [
                ("SalesOrder", .string), ("Customer", .string), ("CustomerPoNumber", .string),
                ("OrderStatus", .string), ("CancelledFlag", .string), ("OrderDate", .date),
                ("CustomerName", .string), ("ShipAddress1", .string), ("ShipAddress2", .string),
                ("ShipAddress3", .string), ("ShipAddress4", .string), ("ShipAddress5", .string),
                ("ShipPostalCode", .string), ("Email", .string),
                ("ShippingInstrs", .string), ("SpecialInstrs", .string),
            ]),
            Table("SorDetail", key: ["SalesOrder", "SalesOrderLine"], columns: [
                ("SalesOrder", .string), ("SalesOrderLine", .int), ("LineType", .string),
                ("MStockCode", .string), ("MStockDes", .string), ("MWarehouse", .string),
                ("MOrderQty", .decimal), ("MPrice", .decimal), ("MQtyDispatched", .decimal),
            ]),
            // Dispatch notes (SORTDN); the columns beyond DispatchNote, SalesOrder, Customer and
            // CustomerPoNumber are the sandbox's reading (docs/vendors/syspro.md, "Finding a
            // dispatch note after a lost answer").
            Table("MdnMaster", key: ["DispatchNote"], columns: [
                ("DispatchNote", .string), ("SalesOrder", .string), ("Customer", .string), ("CustomerPoNumber", .string),
                ("DispatchNoteStatus", .string), ("SpecialInstrs", .string), ("ShippingInstrs", .string), ("Invoice", .string),
            ]),
            Table("MdnDetail", key: ["DispatchNote", "DispatchNoteLine"], columns: [
                ("DispatchNote", .string), ("DispatchNoteLine", .int), ("SalesOrderLine", .int), ("MStockCode", .string),
                ("MWarehouse", .string), ("MQtyToDispatch", .decimal), ("MPrice", .decimal),
            ]),
            Table("ArInvoice", key: ["Customer", "Invoice", "DocumentType"], columns: [
                ("Customer", .string), ("Invoice", .string), ("DocumentType", .string),
                ("InvoiceDate", .date), ("SalesOrder", .string), ("CustomerPoNumber", .string),
                // No Currency column: the customer's (ArCustomer.Currency) is the invoice's.
                ("TermsCode", .string), ("InvoiceBal1", .decimal), ("CurrencyValue", .decimal),
            ]),
            Table("ArTrnDetail", key: ["Invoice", "DetailLine"], columns: [
                ("Invoice", .string), ("DetailLine", .int), ("DocumentType", .string), ("Customer", .string),
                ("SalesOrder", .string), ("SalesOrderLine", .int),
                ("LineType", .string), ("StockCode", .string), ("Warehouse", .string),
                ("QtyInvoiced", .decimal), ("NetSalesValue", .decimal), ("InvoiceDate", .date),
            ]),
            Table("PorMasterHdr", key: ["PurchaseOrder"], columns: [
                ("PurchaseOrder", .string), ("Supplier", .string), ("OrderStatus", .string),
                ("ActiveFlag", .string), ("CancelledFlag", .string), ("OrderEntryDate", .date),
                ("OrderDueDate", .date), ("DatePoCompleted", .date), ("Buyer", .string),
            ]),
            Table("PorMasterDetail", key: ["PurchaseOrder", "Line"], columns: [
                ("PurchaseOrder", .string), ("Line", .int), ("MStockCode", .string),
                ("MStockDes", .string), ("MOrderQty", .decimal), ("MPrice", .decimal), ("MWarehouse", .string),
            ]),
            Table("ApSupplier", key: ["Supplier"], columns: [
                ("Supplier", .string), ("SupplierName", .string), ("Currency", .string), ("Telephone", .string),
            ]),
            Table("ApInvoice", key: ["Supplier", "Invoice"], columns: [
                ("Supplier", .string), ("Invoice", .string), ("JournalDate", .date), ("Journal", .int),
                ("InvoiceYear", .int), ("InvoiceMonth", .int), ("InvoiceDate", .date), ("DueDate", .date),
                ("OrigInvValue", .decimal), ("MthInvBal1", .decimal), ("InvoiceStatus", .string),
                ("Currency", .string),
            ]),
        ] + requisitionTables()
    }

    /// Purchase requisitions, where SYSPRO keeps approval (purchase orders have none): only
    /// the ReqDetail columns a published SYSPRO report reads (docs/vendors/syspro.md,
    /// "Purchasing: PO statuses, requisition approval, posted AP invoices").
    static func requisitionTables() -> [Table] {
        [
            Table("ReqDetail", key: ["Requisition", "Line"], columns: [
                ("Requisition", .string), ("Line", .int), ("ReqnStatus", .string), ("StockCode", .string),
                ("StockDescription", .string), ("OrderQty", .decimal), ("Price", .decimal), ("Supplier", .string),
                ("Buyer", .string), ("Originator", .string), ("CurrentHolder", .string), ("DateReqnRaised", .date),
                ("DueDate", .date), ("SupCatalogueNum", .string),
            ]),
        ]
    }
}
