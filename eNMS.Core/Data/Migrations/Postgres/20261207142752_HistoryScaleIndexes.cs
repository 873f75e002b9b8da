using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace eNMS.Core.Data.Migrations.Postgres
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
