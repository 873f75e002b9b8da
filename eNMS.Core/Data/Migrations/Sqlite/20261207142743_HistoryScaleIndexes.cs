using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace eNMS.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HistoryScaleIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Runs_ServiceId",
                table: "Runs");

            migrationBuilder.DropIndex(
                name: "IX_Runs_Status",
                table: "Runs");

            migrationBuilder.DropIndex(
                name: "IX_RunResults_RunId_Node_DeviceId",
                table: "RunResults");

            migrationBuilder.DropIndex(
                name: "IX_RunLogs_RunId",
                table: "RunLogs");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_CreatedBy_Id",
                table: "Runs",
                columns: new[] { "CreatedBy", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Runs_ServiceId_Id",
                table: "Runs",
                columns: new[] { "ServiceId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Runs_Status_Id",
                table: "Runs",
                columns: new[] { "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_RunResults_DeviceId_RunId",
                table: "RunResults",
                columns: new[] { "DeviceId", "RunId" });

            migrationBuilder.CreateIndex(
                name: "IX_RunResults_RunId_Node_DeviceId_Id",
                table: "RunResults",
                columns: new[] { "RunId", "Node", "DeviceId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_RunLogs_RunId_Id",
                table: "RunLogs",
                columns: new[] { "RunId", "Id" });

            // RunFilter's dates on SQLite compare StoredTime.UnixMilliseconds(CreatedAt): an index on that very
            // expression (as EF writes it; SQLite matches it by its text), which EF's model cannot declare.
            migrationBuilder.Sql(SqliteCreatedAtIndex);
        }

        /// <summary>The index on the creation time as Unix milliseconds (StoredTime.MapSqlite).</summary>
        internal const string SqliteCreatedAtIndex =
            "CREATE INDEX \"IX_Runs_CreatedAtUnixMs\" ON \"Runs\" (CAST(round((julianday(\"CreatedAt\") - 2440587.5) * 86400000.0) AS INTEGER));";

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX \"IX_Runs_CreatedAtUnixMs\";");

            migrationBuilder.DropIndex(
                name: "IX_Runs_CreatedBy_Id",
                table: "Runs");

            migrationBuilder.DropIndex(
                name: "IX_Runs_ServiceId_Id",
                table: "Runs");

            migrationBuilder.DropIndex(
                name: "IX_Runs_Status_Id",
                table: "Runs");

            migrationBuilder.DropIndex(
                name: "IX_RunResults_DeviceId_RunId",
                table: "RunResults");

            migrationBuilder.DropIndex(
                name: "IX_RunResults_RunId_Node_DeviceId_Id",
                table: "RunResults");

            migrationBuilder.DropIndex(
                name: "IX_RunLogs_RunId_Id",
                table: "RunLogs");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_ServiceId",
                table: "Runs",
                column: "ServiceId");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_Status",
                table: "Runs",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_RunResults_RunId_Node_DeviceId",
                table: "RunResults",
                columns: new[] { "RunId", "Node", "DeviceId" });

            migrationBuilder.CreateIndex(
                name: "IX_RunLogs_RunId",
                table: "RunLogs",
                column: "RunId");
        }
    }
}
