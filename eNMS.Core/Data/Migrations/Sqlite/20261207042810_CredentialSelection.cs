using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace eNMS.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CredentialSelection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CredentialId",
                table: "Services",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UseAccess",
                table: "Credentials",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.CreateIndex(
                name: "IX_Services_CredentialId",
                table: "Services",
                column: "CredentialId");

            migrationBuilder.AddForeignKey(
                name: "FK_Services_Credentials_CredentialId",
                table: "Services",
                column: "CredentialId",
                principalTable: "Credentials",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Services_Credentials_CredentialId",
                table: "Services");

            migrationBuilder.DropIndex(
                name: "IX_Services_CredentialId",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "CredentialId",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "UseAccess",
                table: "Credentials");
        }
    }
}
