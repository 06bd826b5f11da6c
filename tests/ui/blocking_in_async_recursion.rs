// A recursive-descent parser: mutually recursive functions, walked once per cycle (an
// exponential walk would time out here). The one blocking call deep in the cycle is found.

fn parse_0(depth: u32) {
    if depth > 0 {
        parse_1(depth - 1);
    }
    if depth > 0 {
        parse_2(depth - 1);
    }
    if depth > 0 {
        parse_7(depth - 1);
    }
    if depth > 0 {
        parse_1(depth - 1);
    }
}

fn parse_1(depth: u32) {
    if depth > 0 {
        parse_2(depth - 1);
    }
    if depth > 0 {
        parse_3(depth - 1);
    }
    if depth > 0 {
        parse_8(depth - 1);
    }
    if depth > 0 {
        parse_4(depth - 1);
    }
}

fn parse_2(depth: u32) {
    if depth > 0 {
        parse_3(depth - 1);
    }
    if depth > 0 {
        parse_4(depth - 1);
    }
    if depth > 0 {
        parse_9(depth - 1);
    }
    if depth > 0 {
        parse_7(depth - 1);
    }
}

fn parse_3(depth: u32) {
    if depth > 0 {
        parse_4(depth - 1);
    }
    if depth > 0 {
        parse_5(depth - 1);
    }
    if depth > 0 {
        parse_10(depth - 1);
    }
    if depth > 0 {
        parse_10(depth - 1);
    }
}

fn parse_4(depth: u32) {
    if depth > 0 {
        parse_5(depth - 1);
    }
    if depth > 0 {
        parse_6(depth - 1);
    }
    if depth > 0 {
        parse_11(depth - 1);
    }
    if depth > 0 {
        parse_13(depth - 1);
    }
}

fn parse_5(depth: u32) {
    if depth > 0 {
        parse_6(depth - 1);
    }
    if depth > 0 {
        parse_7(depth - 1);
    }
    if depth > 0 {
        parse_12(depth - 1);
    }
    if depth > 0 {
        parse_16(depth - 1);
    }
}

fn parse_6(depth: u32) {
    if depth > 0 {
        parse_7(depth - 1);
    }
    if depth > 0 {
        parse_8(depth - 1);
    }
    if depth > 0 {
        parse_13(depth - 1);
    }
    if depth > 0 {
        parse_19(depth - 1);
    }
}

fn parse_7(depth: u32) {
    if depth > 0 {
        parse_8(depth - 1);
    }
    if depth > 0 {
        parse_9(depth - 1);
    }
    if depth > 0 {
        parse_14(depth - 1);
    }
    if depth > 0 {
        parse_22(depth - 1);
    }
}

fn parse_8(depth: u32) {
    if depth > 0 {
        parse_9(depth - 1);
    }
    if depth > 0 {
        parse_10(depth - 1);
    }
    if depth > 0 {
        parse_15(depth - 1);
    }
    if depth > 0 {
        parse_25(depth - 1);
    }
}

fn parse_9(depth: u32) {
    if depth > 0 {
        parse_10(depth - 1);
    }
    if depth > 0 {
        parse_11(depth - 1);
    }
    if depth > 0 {
        parse_16(depth - 1);
    }
    if depth > 0 {
        parse_28(depth - 1);
    }
}

fn parse_10(depth: u32) {
    if depth > 0 {
        parse_11(depth - 1);
    }
    if depth > 0 {
        parse_12(depth - 1);
    }
    if depth > 0 {
        parse_17(depth - 1);
    }
    if depth > 0 {
        parse_31(depth - 1);
    }
}

fn parse_11(depth: u32) {
    if depth > 0 {
        parse_12(depth - 1);
    }
    if depth > 0 {
        parse_13(depth - 1);
    }
    if depth > 0 {
        parse_18(depth - 1);
    }
    if depth > 0 {
        parse_34(depth - 1);
    }
}

fn parse_12(depth: u32) {
    if depth > 0 {
        parse_13(depth - 1);
    }
    if depth > 0 {
        parse_14(depth - 1);
    }
    if depth > 0 {
        parse_19(depth - 1);
    }
    if depth > 0 {
        parse_37(depth - 1);
    }
}

fn parse_13(depth: u32) {
    if depth > 0 {
        parse_14(depth - 1);
    }
    if depth > 0 {
        parse_15(depth - 1);
    }
    if depth > 0 {
        parse_20(depth - 1);
    }
    if depth > 0 {
        parse_0(depth - 1);
    }
}

fn parse_14(depth: u32) {
    if depth > 0 {
        parse_15(depth - 1);
    }
    if depth > 0 {
        parse_16(depth - 1);
    }
    if depth > 0 {
        parse_21(depth - 1);
    }
    if depth > 0 {
        parse_3(depth - 1);
    }
}

fn parse_15(depth: u32) {
    if depth > 0 {
        parse_16(depth - 1);
    }
    if depth > 0 {
        parse_17(depth - 1);
    }
    if depth > 0 {
        parse_22(depth - 1);
    }
    if depth > 0 {
        parse_6(depth - 1);
    }
}

fn parse_16(depth: u32) {
    if depth > 0 {
        parse_17(depth - 1);
    }
    if depth > 0 {
        parse_18(depth - 1);
    }
    if depth > 0 {
        parse_23(depth - 1);
    }
    if depth > 0 {
        parse_9(depth - 1);
    }
}

fn parse_17(depth: u32) {
    if depth > 0 {
        parse_18(depth - 1);
    }
    if depth > 0 {
        parse_19(depth - 1);
    }
    if depth > 0 {
        parse_24(depth - 1);
    }
    if depth > 0 {
        parse_12(depth - 1);
    }
}

fn parse_18(depth: u32) {
    if depth > 0 {
        parse_19(depth - 1);
    }
    if depth > 0 {
        parse_20(depth - 1);
    }
    if depth > 0 {
        parse_25(depth - 1);
    }
    if depth > 0 {
        parse_15(depth - 1);
    }
}

fn parse_19(depth: u32) {
    if depth > 0 {
        parse_20(depth - 1);
    }
    if depth > 0 {
        parse_21(depth - 1);
    }
    if depth > 0 {
        parse_26(depth - 1);
    }
    if depth > 0 {
        parse_18(depth - 1);
    }
}

fn parse_20(depth: u32) {
    if depth > 0 {
        parse_21(depth - 1);
    }
    if depth > 0 {
        parse_22(depth - 1);
    }
    if depth > 0 {
        parse_27(depth - 1);
    }
    if depth > 0 {
        parse_21(depth - 1);
    }
}

fn parse_21(depth: u32) {
    if depth > 0 {
        parse_22(depth - 1);
    }
    if depth > 0 {
        parse_23(depth - 1);
    }
    if depth > 0 {
        parse_28(depth - 1);
    }
    if depth > 0 {
        parse_24(depth - 1);
    }
}

fn parse_22(depth: u32) {
    if depth > 0 {
        parse_23(depth - 1);
    }
    if depth > 0 {
        parse_24(depth - 1);
    }
    if depth > 0 {
        parse_29(depth - 1);
    }
    if depth > 0 {
        parse_27(depth - 1);
    }
}

fn parse_23(depth: u32) {
    if depth > 0 {
        parse_24(depth - 1);
    }
    if depth > 0 {
        parse_25(depth - 1);
    }
    if depth > 0 {
        parse_30(depth - 1);
    }
    if depth > 0 {
        parse_30(depth - 1);
    }
}

fn parse_24(depth: u32) {
    if depth > 0 {
        parse_25(depth - 1);
    }
    if depth > 0 {
        parse_26(depth - 1);
    }
    if depth > 0 {
        parse_31(depth - 1);
    }
    if depth > 0 {
        parse_33(depth - 1);
    }
}

fn parse_25(depth: u32) {
    if depth > 0 {
        parse_26(depth - 1);
    }
    if depth > 0 {
        parse_27(depth - 1);
    }
    if depth > 0 {
        parse_32(depth - 1);
    }
    if depth > 0 {
        parse_36(depth - 1);
    }
}

fn parse_26(depth: u32) {
    if depth > 0 {
        parse_27(depth - 1);
    }
    if depth > 0 {
        parse_28(depth - 1);
    }
    if depth > 0 {
        parse_33(depth - 1);
    }
    if depth > 0 {
        parse_39(depth - 1);
    }
}

fn parse_27(depth: u32) {
    if depth > 0 {
        parse_28(depth - 1);
    }
    if depth > 0 {
        parse_29(depth - 1);
    }
    if depth > 0 {
        parse_34(depth - 1);
    }
    if depth > 0 {
        parse_2(depth - 1);
    }
}

fn parse_28(depth: u32) {
    if depth > 0 {
        parse_29(depth - 1);
    }
    if depth > 0 {
        parse_30(depth - 1);
    }
    if depth > 0 {
        parse_35(depth - 1);
    }
    if depth > 0 {
        parse_5(depth - 1);
    }
}

fn parse_29(depth: u32) {
    if depth > 0 {
        parse_30(depth - 1);
    }
    if depth > 0 {
        parse_31(depth - 1);
    }
    if depth > 0 {
        parse_36(depth - 1);
    }
    if depth > 0 {
        parse_8(depth - 1);
    }
}

fn parse_30(depth: u32) {
    if depth > 0 {
        parse_31(depth - 1);
    }
    if depth > 0 {
        parse_32(depth - 1);
    }
    if depth > 0 {
        parse_37(depth - 1);
    }
    if depth > 0 {
        parse_11(depth - 1);
    }
}

fn parse_31(depth: u32) {
    if depth > 0 {
        parse_32(depth - 1);
    }
    if depth > 0 {
        parse_33(depth - 1);
    }
    if depth > 0 {
        parse_38(depth - 1);
    }
    if depth > 0 {
        parse_14(depth - 1);
    }
}

fn parse_32(depth: u32) {
    if depth > 0 {
        parse_33(depth - 1);
    }
    if depth > 0 {
        parse_34(depth - 1);
    }
    if depth > 0 {
        parse_39(depth - 1);
    }
    if depth > 0 {
        parse_17(depth - 1);
    }
}

fn parse_33(depth: u32) {
    if depth > 0 {
        parse_34(depth - 1);
    }
    if depth > 0 {
        parse_35(depth - 1);
    }
    if depth > 0 {
        parse_0(depth - 1);
    }
    if depth > 0 {
        parse_20(depth - 1);
    }
}

fn parse_34(depth: u32) {
    if depth > 0 {
        parse_35(depth - 1);
    }
    if depth > 0 {
        parse_36(depth - 1);
    }
    if depth > 0 {
        parse_1(depth - 1);
    }
    if depth > 0 {
        parse_23(depth - 1);
    }
}

fn parse_35(depth: u32) {
    if depth > 0 {
        parse_36(depth - 1);
    }
    if depth > 0 {
        parse_37(depth - 1);
    }
    if depth > 0 {
        parse_2(depth - 1);
    }
    if depth > 0 {
        parse_26(depth - 1);
    }
}

fn parse_36(depth: u32) {
    if depth > 0 {
        parse_37(depth - 1);
    }
    if depth > 0 {
        parse_38(depth - 1);
    }
    if depth > 0 {
        parse_3(depth - 1);
    }
    if depth > 0 {
        parse_29(depth - 1);
    }
}

fn parse_37(depth: u32) {
    if depth > 0 {
        parse_38(depth - 1);
    }
    if depth > 0 {
        parse_39(depth - 1);
    }
    if depth > 0 {
        parse_4(depth - 1);
    }
    if depth > 0 {
        parse_32(depth - 1);
    }
}

fn parse_38(depth: u32) {
    if depth > 0 {
        parse_39(depth - 1);
    }
    if depth > 0 {
        parse_0(depth - 1);
    }
    if depth > 0 {
        parse_5(depth - 1);
    }
    if depth > 0 {
        parse_35(depth - 1);
    }
}

fn parse_39(depth: u32) {
    if depth > 0 {
        parse_0(depth - 1);
    }
    if depth > 0 {
        parse_1(depth - 1);
    }
    if depth > 0 {
        parse_6(depth - 1);
    }
    if depth > 0 {
        parse_38(depth - 1);
    }
}

fn lex_0(depth: u32) {
    if depth > 0 {
        lex_1(depth - 1);
    }
    if depth > 0 {
        lex_2(depth - 1);
    }
    if depth > 0 {
        lex_7(depth - 1);
    }
    if depth > 0 {
        lex_1(depth - 1);
    }
}

fn lex_1(depth: u32) {
    if depth > 0 {
        lex_2(depth - 1);
    }
    if depth > 0 {
        lex_3(depth - 1);
    }
    if depth > 0 {
        lex_8(depth - 1);
    }
    if depth > 0 {
        lex_4(depth - 1);
    }
}

fn lex_2(depth: u32) {
    if depth > 0 {
        lex_3(depth - 1);
    }
    if depth > 0 {
        lex_4(depth - 1);
    }
    if depth > 0 {
        lex_9(depth - 1);
    }
    if depth > 0 {
        lex_7(depth - 1);
    }
}

fn lex_3(depth: u32) {
    if depth > 0 {
        lex_4(depth - 1);
    }
    if depth > 0 {
        lex_5(depth - 1);
    }
    if depth > 0 {
        lex_10(depth - 1);
    }
    if depth > 0 {
        lex_10(depth - 1);
    }
}

fn lex_4(depth: u32) {
    if depth > 0 {
        lex_5(depth - 1);
    }
    if depth > 0 {
        lex_6(depth - 1);
    }
    if depth > 0 {
        lex_11(depth - 1);
    }
    if depth > 0 {
        lex_13(depth - 1);
    }
}

fn lex_5(depth: u32) {
    if depth > 0 {
        lex_6(depth - 1);
    }
    if depth > 0 {
        lex_7(depth - 1);
    }
    if depth > 0 {
        lex_12(depth - 1);
    }
    if depth > 0 {
        lex_16(depth - 1);
    }
}

fn lex_6(depth: u32) {
    if depth > 0 {
        lex_7(depth - 1);
    }
    if depth > 0 {
        lex_8(depth - 1);
    }
    if depth > 0 {
        lex_13(depth - 1);
    }
    if depth > 0 {
        lex_19(depth - 1);
    }
}

fn lex_7(depth: u32) {
    if depth > 0 {
        lex_8(depth - 1);
    }
    if depth > 0 {
        lex_9(depth - 1);
    }
    if depth > 0 {
        lex_14(depth - 1);
    }
    if depth > 0 {
        lex_22(depth - 1);
    }
}

fn lex_8(depth: u32) {
    if depth > 0 {
        lex_9(depth - 1);
    }
    if depth > 0 {
        lex_10(depth - 1);
    }
    if depth > 0 {
        lex_15(depth - 1);
    }
    if depth > 0 {
        lex_25(depth - 1);
    }
}

fn lex_9(depth: u32) {
    if depth > 0 {
        lex_10(depth - 1);
    }
    if depth > 0 {
        lex_11(depth - 1);
    }
    if depth > 0 {
        lex_16(depth - 1);
    }
    if depth > 0 {
        lex_28(depth - 1);
    }
}

fn lex_10(depth: u32) {
    if depth > 0 {
        lex_11(depth - 1);
    }
    if depth > 0 {
        lex_12(depth - 1);
    }
    if depth > 0 {
        lex_17(depth - 1);
    }
    if depth > 0 {
        lex_31(depth - 1);
    }
}

fn lex_11(depth: u32) {
    if depth > 0 {
        lex_12(depth - 1);
    }
    if depth > 0 {
        lex_13(depth - 1);
    }
    if depth > 0 {
        lex_18(depth - 1);
    }
    if depth > 0 {
        lex_34(depth - 1);
    }
}

fn lex_12(depth: u32) {
    if depth > 0 {
        lex_13(depth - 1);
    }
    if depth > 0 {
        lex_14(depth - 1);
    }
    if depth > 0 {
        lex_19(depth - 1);
    }
    if depth > 0 {
        lex_37(depth - 1);
    }
}

fn lex_13(depth: u32) {
    if depth > 0 {
        lex_14(depth - 1);
    }
    if depth > 0 {
        lex_15(depth - 1);
    }
    if depth > 0 {
        lex_20(depth - 1);
    }
    if depth > 0 {
        lex_0(depth - 1);
    }
}

fn lex_14(depth: u32) {
    if depth > 0 {
        lex_15(depth - 1);
    }
    if depth > 0 {
        lex_16(depth - 1);
    }
    if depth > 0 {
        lex_21(depth - 1);
    }
    if depth > 0 {
        lex_3(depth - 1);
    }
}

fn lex_15(depth: u32) {
    if depth > 0 {
        lex_16(depth - 1);
    }
    if depth > 0 {
        lex_17(depth - 1);
    }
    if depth > 0 {
        lex_22(depth - 1);
    }
    if depth > 0 {
        lex_6(depth - 1);
    }
}

fn lex_16(depth: u32) {
    if depth > 0 {
        lex_17(depth - 1);
    }
    if depth > 0 {
        lex_18(depth - 1);
    }
    if depth > 0 {
        lex_23(depth - 1);
    }
    if depth > 0 {
        lex_9(depth - 1);
    }
}

fn lex_17(depth: u32) {
    if depth > 0 {
        lex_18(depth - 1);
    }
    if depth > 0 {
        lex_19(depth - 1);
    }
    if depth > 0 {
        lex_24(depth - 1);
    }
    if depth > 0 {
        lex_12(depth - 1);
    }
}

fn lex_18(depth: u32) {
    if depth > 0 {
        lex_19(depth - 1);
    }
    if depth > 0 {
        lex_20(depth - 1);
    }
    if depth > 0 {
        lex_25(depth - 1);
    }
    if depth > 0 {
        lex_15(depth - 1);
    }
}

fn lex_19(depth: u32) {
    if depth > 0 {
        lex_20(depth - 1);
    }
    if depth > 0 {
        lex_21(depth - 1);
    }
    if depth > 0 {
        lex_26(depth - 1);
    }
    if depth > 0 {
        lex_18(depth - 1);
    }
}

fn lex_20(depth: u32) {
    if depth > 0 {
        lex_21(depth - 1);
    }
    if depth > 0 {
        lex_22(depth - 1);
    }
    if depth > 0 {
        lex_27(depth - 1);
    }
    if depth > 0 {
        lex_21(depth - 1);
    }
}

fn lex_21(depth: u32) {
    if depth > 0 {
        lex_22(depth - 1);
    }
    if depth > 0 {
        lex_23(depth - 1);
    }
    if depth > 0 {
        lex_28(depth - 1);
    }
    if depth > 0 {
        lex_24(depth - 1);
    }
}

fn lex_22(depth: u32) {
    if depth > 0 {
        lex_23(depth - 1);
    }
    if depth > 0 {
        lex_24(depth - 1);
    }
    if depth > 0 {
        lex_29(depth - 1);
    }
    if depth > 0 {
        lex_27(depth - 1);
    }
}

fn lex_23(depth: u32) {
    if depth > 0 {
        lex_24(depth - 1);
    }
    if depth > 0 {
        lex_25(depth - 1);
    }
    if depth > 0 {
        lex_30(depth - 1);
    }
    if depth > 0 {
        lex_30(depth - 1);
    }
}

fn lex_24(depth: u32) {
    if depth > 0 {
        lex_25(depth - 1);
    }
    if depth > 0 {
        lex_26(depth - 1);
    }
    if depth > 0 {
        lex_31(depth - 1);
    }
    if depth > 0 {
        lex_33(depth - 1);
    }
}

fn lex_25(depth: u32) {
    if depth > 0 {
        lex_26(depth - 1);
    }
    if depth > 0 {
        lex_27(depth - 1);
    }
    if depth > 0 {
        lex_32(depth - 1);
    }
    if depth > 0 {
        lex_36(depth - 1);
    }
}

fn lex_26(depth: u32) {
    if depth > 0 {
        lex_27(depth - 1);
    }
    if depth > 0 {
        lex_28(depth - 1);
    }
    if depth > 0 {
        lex_33(depth - 1);
    }
    if depth > 0 {
        lex_39(depth - 1);
    }
}

fn lex_27(depth: u32) {
    if depth > 0 {
        lex_28(depth - 1);
    }
    if depth > 0 {
        lex_29(depth - 1);
    }
    if depth > 0 {
        lex_34(depth - 1);
    }
    if depth > 0 {
        lex_2(depth - 1);
    }
}

fn lex_28(depth: u32) {
    if depth > 0 {
        lex_29(depth - 1);
    }
    if depth > 0 {
        lex_30(depth - 1);
    }
    if depth > 0 {
        lex_35(depth - 1);
    }
    if depth > 0 {
        lex_5(depth - 1);
    }
}

fn lex_29(depth: u32) {
    if depth > 0 {
        lex_30(depth - 1);
    }
    if depth > 0 {
        lex_31(depth - 1);
    }
    if depth > 0 {
        lex_36(depth - 1);
    }
    if depth > 0 {
        lex_8(depth - 1);
    }
}

fn lex_30(depth: u32) {
    if depth > 0 {
        lex_31(depth - 1);
    }
    if depth > 0 {
        lex_32(depth - 1);
    }
    if depth > 0 {
        lex_37(depth - 1);
    }
    if depth > 0 {
        lex_11(depth - 1);
    }
}

fn lex_31(depth: u32) {
    if depth > 0 {
        lex_32(depth - 1);
    }
    if depth > 0 {
        lex_33(depth - 1);
    }
    if depth > 0 {
        lex_38(depth - 1);
    }
    if depth > 0 {
        lex_14(depth - 1);
    }
}

fn lex_32(depth: u32) {
    if depth > 0 {
        lex_33(depth - 1);
    }
    if depth > 0 {
        lex_34(depth - 1);
    }
    if depth > 0 {
        lex_39(depth - 1);
    }
    if depth > 0 {
        lex_17(depth - 1);
    }
}

fn lex_33(depth: u32) {
    if depth > 0 {
        lex_34(depth - 1);
    }
    if depth > 0 {
        lex_35(depth - 1);
    }
    if depth > 0 {
        lex_0(depth - 1);
    }
    if depth > 0 {
        lex_20(depth - 1);
    }
}

fn lex_34(depth: u32) {
    if depth > 0 {
        lex_35(depth - 1);
    }
    if depth > 0 {
        lex_36(depth - 1);
    }
    if depth > 0 {
        lex_1(depth - 1);
    }
    if depth > 0 {
        lex_23(depth - 1);
    }
}

fn lex_35(depth: u32) {
    if depth > 0 {
        lex_36(depth - 1);
    }
    if depth > 0 {
        lex_37(depth - 1);
    }
    if depth > 0 {
        lex_2(depth - 1);
    }
    if depth > 0 {
        lex_26(depth - 1);
    }
}

fn lex_36(depth: u32) {
    if depth > 0 {
        lex_37(depth - 1);
    }
    if depth > 0 {
        lex_38(depth - 1);
    }
    if depth > 0 {
        lex_3(depth - 1);
    }
    if depth > 0 {
        lex_29(depth - 1);
    }
}

fn lex_37(depth: u32) {
    if depth > 0 {
        lex_38(depth - 1);
    }
    if depth > 0 {
        lex_39(depth - 1);
    }
    if depth > 0 {
        lex_4(depth - 1);
    }
    if depth > 0 {
        lex_32(depth - 1);
    }
}

fn lex_38(depth: u32) {
    if depth > 0 {
        lex_39(depth - 1);
    }
    if depth > 0 {
        lex_0(depth - 1);
    }
    if depth > 0 {
        lex_5(depth - 1);
    }
    if depth > 0 {
        lex_35(depth - 1);
    }
}

fn lex_39(depth: u32) {
    if depth > 0 {
        lex_0(depth - 1);
    }
    if depth > 0 {
        lex_1(depth - 1);
    }
    if depth > 0 {
        lex_6(depth - 1);
    }
    if depth > 0 {
        lex_38(depth - 1);
    }
    std::thread::sleep(std::time::Duration::from_millis(1));
}

async fn parses() {
    parse_0(3);
}

async fn lexes() {
    lex_0(3);
    //~^ blocking_in_async
}

fn main() {}
