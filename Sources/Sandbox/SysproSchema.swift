/// The SYSPRO tables the connector reads, with the columns api-notes lists under "Tables
/// and columns" plus a few neighbours real SYSPRO has and the demo data fills. Column
/// names and types are the database's; `TimeStamp` is added to every table by `Table`.
enum SysproSchema {
    static func emptyTables() -> [Table] {
        [
            Table("InvMaster", key: ["StockCode"], columns: [
                ("StockCode", .string), ("Description", .string), ("LongDesc", .string),
                ("StockUom", .string), ("ProductClass", .string), ("WarehouseToUse", .string),
                // SYSPRO has no barcode column on InvMaster; sites keep the UPC in AlternateKey1.
                ("AlternateKey1", .string), ("Mass", .decimal), ("Supplier", .string),
            ]),
            Table("InvWarehouse", key: ["StockCode", "Warehouse"], columns: [
                ("StockCode", .string), ("Warehouse", .string), ("QtyOnHand", .decimal),
                ("QtyAllocated", .decimal), ("QtyOnOrder", .decimal), ("QtyInTransit", .decimal),
            ]),
            Table("InvPrice", key: ["StockCode", "PriceCode"], columns: [
                ("StockCode", .string), ("PriceCode", .string), ("SellingPrice", .decimal),
                ("PriceBasis", .string),
            ]),
            Table("InvMovements", key: ["StockCode", "Warehouse", "EntryDate", "MovementType", "Journal", "JournalEntry"], columns: [
                ("StockCode", .string), ("Warehouse", .string), ("EntryDate", .date),
                ("MovementType", .string), ("TrnType", .string), ("TrnQty", .decimal),
                ("Journal", .int), ("JournalEntry", .int), ("Reference", .string), ("Notation", .string),
            ]),
            Table("ArCustomer", key: ["Customer"], columns: [
                ("Customer", .string), ("Name", .string), ("Email", .string), ("Telephone", .string),
                ("Contact", .string), ("Currency", .string), ("CustomerClass", .string), ("TermsCode", .string),
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
                ("MOrderQty", .decimal), ("MPrice", .decimal), ("MCustomerPoLine", .string),
                ("MQtyDispatched", .decimal),
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
                ("TermsCode", .string), ("InvoiceBal1", .decimal), ("CurrencyValue", .decimal),
                ("Currency", .string),
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
        ]
    }
}
